package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.TrackUsage;
import io.sandboxbroker.broker.core.UsageService.TrackReport;
import java.util.List;

/**
 * Body of {@code GET /v1/admin/tracks}: per {@code X-Instruqt-Track-ID}, allocations over the last
 * 24 hours and 7 days (whole UTC hours), releases in those 7 days and their mean time from
 * allocation to release (null when none), busiest track first; and all pools' allocations in each
 * of the last 24 UTC hours ({@code hourly}, oldest first).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TracksView(Long computedAt, List<Track> tracks, List<Hour> hourly) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Hour(Long hour, long allocations) {}

    public record Track(
            @JsonProperty("track") String track,
            @JsonProperty("allocations_24h") long allocations24h,
            @JsonProperty("allocations_7d") long allocations7d,
            @JsonProperty("releases_7d") long releases7d,
            @JsonProperty("mean_seconds_to_release") Long meanSecondsToRelease) {}

    public static TracksView of(TrackReport report) {
        return new TracksView(
                Times.unix(report.computedAt()),
                report.tracks().stream().map(TracksView::track).toList(),
                report.lastDay().stream()
                        .map(hour -> new Hour(Times.unix(hour.hour()), hour.allocations()))
                        .toList());
    }

    private static Track track(TrackUsage usage) {
        return new Track(
                usage.track(),
                usage.allocations24h(),
                usage.allocations7d(),
                usage.releases7d(),
                usage.meanSecondsToRelease());
    }
}
