package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one background job's work and records the run (start, end, outcome, counts) for the
 * admin API. A thin scheduler job calls {@code runs.run("cleanup", cleanup::run)}.
 */
public final class JobRunLog {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunLog.class);

    /** The name of this process in run records (host name or task id). */
    public record Node(String name) {}

    private final JobRuns runs;
    private final Node node;
    private final Clock clock;
    private final JobMetrics metrics;

    @Inject
    public JobRunLog(JobRuns runs, Node node, Clock clock, JobMetrics metrics) {
        this.runs = runs;
        this.node = node;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Runs {@code work} under a fresh run id and records it; a failure is recorded and rethrown. */
    public <R extends JobResult> R run(String job, Supplier<R> work) {
        return run(job, UUID.randomUUID().toString(), work);
    }

    /**
     * Runs {@code work} and records it under {@code runId} (an enqueuer's id, so it can find the
     * run); logs {@code action=<job>} start and finish with the counts. A failure is recorded,
     * logged once here and rethrown.
     */
    public <R extends JobResult> R run(String job, String runId, Supplier<R> work) {
        Instant started = clock.instant();
        LOG.info("action={} outcome=started run_id={} node={}", job, runId, node.name());
        try {
            R result = work.get();
            boolean interrupted = result instanceof CleanupService.Result cleanup && cleanup.interrupted();
            String outcome = interrupted ? "interrupted" : "completed";
            Instant finished = clock.instant();
            LOG.info(
                    "action={} outcome={} run_id={} node={} duration_ms={} {}",
                    job,
                    outcome,
                    runId,
                    node.name(),
                    Duration.between(started, finished).toMillis(),
                    result.logPairs());
            save(new JobRun(job, node.name(), runId, started, finished, outcome, result.counts()));
            metrics.run(job, outcome, Duration.between(started, finished), result.eventCounts());
            return result;
        } catch (RuntimeException e) {
            LOG.error("action={} outcome=failed run_id={} node={} error={}", job, runId, node.name(), e.toString(), e);
            Instant failed = clock.instant();
            save(new JobRun(job, node.name(), runId, started, failed, "failed", Map.of()));
            metrics.run(job, "failed", Duration.between(started, failed), Map.of());
            throw e;
        }
    }

    /** The run recorded under {@code runId}, if it has finished. */
    public Optional<JobRun> find(String job, String runId) {
        return runs.recent(job, 50).stream()
                .filter(run -> run.runId().equals(runId))
                .findFirst();
    }

    public List<JobRun> recent(String job, int limit) {
        return runs.recent(job, limit);
    }

    private void save(JobRun run) {
        try {
            runs.record(run);
        } catch (RuntimeException e) {
            // A lost record must not turn a finished run into a failed one.
            LOG.warn("action=record_job_run job={} outcome=failed error={}", run.job(), e.toString());
        }
    }
}
