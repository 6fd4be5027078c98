package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.JobResult;
import io.sandboxbroker.broker.core.JobRunLog;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.MDC;

/**
 * The Quartz side of every job: which run this is (the enqueuer's run id, else the firing's), the
 * logging context, and a failure handed back to Quartz. Recording and logging are the
 * {@link JobRunLog}'s.
 */
public final class JobRunner {
    static final String RUN_ID = "run_id";

    private final JobRunLog runs;

    @Inject
    JobRunner(JobRunLog runs) {
        this.runs = runs;
    }

    public void run(BrokerJob job, JobExecutionContext context, Supplier<? extends JobResult> work)
            throws JobExecutionException {
        String runId = runId(context);
        MDC.put("action", job.wire());
        MDC.put(RUN_ID, runId);
        try {
            runs.run(job.wire(), runId, work);
        } catch (RuntimeException alreadyLoggedAndRecorded) {
            throw new JobExecutionException(alreadyLoggedAndRecorded, false);
        } finally {
            MDC.remove("action");
            MDC.remove(RUN_ID);
        }
    }

    private static String runId(JobExecutionContext context) {
        String enqueued = context.getMergedJobDataMap().getString(RUN_ID);
        return enqueued != null ? enqueued : context.getFireInstanceId();
    }
}
