package io.sandboxbroker.broker.jobs;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every job does around its one service call: a run id (the enqueuer's, or the firing's),
 * {@code action=<job>} start and finish lines with the counts, and the outcome.
 */
public final class JobRunner {
    static final String RUN_ID = "run_id";
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Clock clock;
    private final String node;

    @Inject
    JobRunner(Clock clock, @Named("instanceId") String node) {
        this.clock = clock;
        this.node = node;
    }

    /** Runs the work and logs it; a failure is logged once here and reported to Quartz. */
    public void run(BrokerJob job, JobExecutionContext context, Supplier<Map<String, ? extends Number>> work)
            throws JobExecutionException {
        String runId = runId(context);
        Instant started = clock.instant();
        MDC.put("action", job.wire());
        MDC.put("run_id", runId);
        try {
            LOG.info("action={} run_id={} node={} outcome=started", job.wire(), runId, node);
            Map<String, ? extends Number> counts = work.get();
            LOG.info("action={} run_id={} node={} outcome=completed duration_ms={} {}", job.wire(), runId, node,
                    Duration.between(started, clock.instant()).toMillis(), format(counts));
        } catch (RuntimeException e) {
            LOG.error("action={} run_id={} node={} outcome=failed duration_ms={} error={}", job.wire(), runId, node,
                    Duration.between(started, clock.instant()).toMillis(), e.toString(), e);
            throw new JobExecutionException(e, false);
        } finally {
            MDC.remove("action");
            MDC.remove("run_id");
        }
    }

    private static String runId(JobExecutionContext context) {
        String enqueued = context.getMergedJobDataMap().getString(RUN_ID);
        return enqueued != null ? enqueued : context.getFireInstanceId();
    }

    private static String format(Map<String, ? extends Number> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
