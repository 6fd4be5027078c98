package io.sandboxbroker.broker.core;

import java.time.Duration;
import java.util.Map;

/** Port: what each background run reports for operators (runs, their length, what they did). */
public interface JobMetrics {

    /**
     * One finished run: {@code outcome} completed, interrupted or failed; {@code events} what it did
     * ({@link JobResult#eventCounts()}: e.g. sync's added, cleanup's deleted), empty for a failed run.
     */
    void run(String job, String outcome, Duration took, Map<String, Long> events);

    /** Does nothing; for tools and tests that do not observe. */
    JobMetrics NONE = (job, outcome, took, events) -> {};
}
