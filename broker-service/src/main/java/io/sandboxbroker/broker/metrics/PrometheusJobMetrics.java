package io.sandboxbroker.broker.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import io.sandboxbroker.broker.core.JobMetrics;
import java.time.Duration;
import java.util.Map;

/**
 * Background runs as Prometheus series: {@code broker_job_runs_total{job,outcome}},
 * {@code broker_job_run_duration_seconds{job}} (histogram) and
 * {@code broker_job_events_total{job,event}}: what the runs did, e.g. {@code job="sync",event="added"}
 * / {@code marked_stale} / {@code revived}, {@code job="cleanup",event="deleted"} / {@code retried} /
 * {@code failed} / {@code skipped_open_circuit} / {@code niosxaas_cleaned} …. Job and event names
 * come from the code, so the series stay few.
 */
public final class PrometheusJobMetrics implements JobMetrics {
    public static final String RUNS = "broker_job_runs";
    public static final String DURATION = "broker_job_run_duration_seconds";
    public static final String EVENTS = "broker_job_events";

    private final Counter runs;
    private final Histogram duration;
    private final Counter events;

    public PrometheusJobMetrics(CollectorRegistry collectors) {
        runs = Counter.build(RUNS, "Background job runs by job and outcome (completed, interrupted, failed)")
                .labelNames("job", "outcome")
                .register(collectors);
        duration = Histogram.build(DURATION, "How long background job runs take")
                .labelNames("job")
                .buckets(Buckets.JOB_RUN)
                .register(collectors);
        events = Counter.build(EVENTS, "What background job runs did, by job and event")
                .labelNames("job", "event")
                .register(collectors);
    }

    @Override
    public void run(String job, String outcome, Duration took, Map<String, Long> done) {
        runs.labels(job, outcome).inc();
        duration.labels(job).observe(took.toNanos() / 1e9);
        done.forEach((event, count) -> events.labels(job, event).inc(count));
    }
}
