package io.sandboxbroker.broker.core;

import java.util.Map;

/** What a background run reports: named counts, for the run record, the log line and metrics. */
public interface JobResult {

    /** Counts by name ({@code snake_case}), in a stable order. */
    Map<String, Long> counts();

    /**
     * The counts that are things done in this run (added, deleted, …), summed by metrics over runs;
     * a result whose counts are levels (how many are available now) reports none.
     */
    default Map<String, Long> eventCounts() {
        return counts();
    }

    /** The counts as {@code key=value} pairs for a log line. */
    default String logPairs() {
        StringBuilder line = new StringBuilder();
        counts().forEach((name, count) -> line.append(line.length() == 0 ? "" : " ")
                .append(name)
                .append('=')
                .append(count));
        return line.toString();
    }
}
