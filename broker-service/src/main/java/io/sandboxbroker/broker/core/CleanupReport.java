package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What NIOSXaaS clean-up did over the last day, summed from the cleanup job's run records (each
 * run counts its outcomes), so operators see it without reading per-sandbox history.
 */
public final class CleanupReport {
    /** The cleanup job's name in run records. */
    static final String CLEANUP_JOB = "cleanup";

    private static final Duration WINDOW = Duration.ofHours(24);
    /** A day of runs at the default 5-minute schedule, with room for enqueued ones. */
    private static final int MAX_RUNS = 400;

    /** Outcomes since {@code since}; {@code pending} is the sandboxes waiting for clean-up now. */
    public record NiosxaasOutcomes(long cleaned, long skipped, long failed, long pending, Instant since) {}

    private record Sums(long cleaned, long skipped, long failed, Instant since) {}

    private final JobRunLog runs;
    private final Clock clock;

    @Inject
    public CleanupReport(JobRunLog runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    public NiosxaasOutcomes niosxaas(PoolStats pool) {
        // One bounded query of small items; operators ask for it, not the lab scripts.
        Sums sums = sum(runs.recent(CLEANUP_JOB, MAX_RUNS), clock.instant().minus(WINDOW));
        return new NiosxaasOutcomes(
                sums.cleaned(),
                sums.skipped(),
                sums.failed(),
                pool.count(SandboxStatus.PENDING_DELETION),
                sums.since());
    }

    private static Sums sum(List<JobRun> recent, Instant since) {
        long cleaned = 0;
        long skipped = 0;
        long failed = 0;
        for (JobRun run : recent) {
            if (run.startedAt().isBefore(since)) {
                continue;
            }
            cleaned += count(run, CleanupOutcome.Kind.CLEANED);
            skipped += count(run, CleanupOutcome.Kind.NOTHING_TO_CLEAN)
                    + count(run, CleanupOutcome.Kind.SHADOW)
                    + count(run, CleanupOutcome.Kind.DISABLED);
            failed += count(run, CleanupOutcome.Kind.FAILED);
        }
        return new Sums(cleaned, skipped, failed, since);
    }

    private static long count(JobRun run, CleanupOutcome.Kind kind) {
        return run.counts().getOrDefault("niosxaas_" + kind.name().toLowerCase(java.util.Locale.ROOT), 0L);
    }
}
