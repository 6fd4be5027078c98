package io.sandboxbroker.broker.metrics;

/**
 * Histogram buckets, in seconds. Histograms (unlike the quantile summaries they replace) add up
 * across the API tasks behind the load balancer: {@code histogram_quantile} over their sum is a
 * fleet-wide percentile.
 */
public final class Buckets {
    /** Requests and allocations: 5 ms to 10 s. */
    public static final double[] LATENCY = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Background job runs: 50 ms (pool stats) to 30 min (a paced clean-up of a large backlog). */
    public static final double[] JOB_RUN = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};

    private Buckets() {}
}
