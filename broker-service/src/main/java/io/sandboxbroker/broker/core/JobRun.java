package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.Map;

/**
 * One run of a background job, as recorded for operators.
 *
 * @param outcome {@code completed}, {@code interrupted} or {@code failed}
 * @param counts  what the run did, by name; empty when it failed
 */
public record JobRun(
        String job,
        String node,
        String runId,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        Map<String, Long> counts) {

    public JobRun {
        counts = Map.copyOf(counts);
    }
}
