package io.sandboxbroker.broker.core;

/**
 * One track's ({@code X-Instruqt-Track-ID}) use of the pool over the last 24 hours and 7 days
 * (whole UTC hours), and the mean time from allocation to release of the sandboxes released in
 * those 7 days (null when none was).
 */
public record TrackUsage(
        String track, long allocations24h, long allocations7d, long releases7d, Long meanSecondsToRelease) {}
