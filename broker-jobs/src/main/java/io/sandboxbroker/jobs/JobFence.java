package io.sandboxbroker.jobs;

import io.sandboxbroker.jobs.store.DynamoJobStore;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/**
 * Fencing for running jobs: before each external call that must not happen twice at once (e.g. a provider
 * DELETE), a job asks whether its firing still holds what it runs under. A node judged dead (a long pause, a
 * partition) has had its firings recovered by another node; its jobs learn it here and stop.
 *
 * <pre>{@code
 * for (Sandbox sandbox : marked) {
 *     JobFence.ensureHeld(context);      // throws FiringLostException once the firing is no longer ours
 *     provider.delete(sandbox);
 * }
 * }</pre>
 *
 * <p>Each check is one or two consistent reads. A scheduler not built by {@link ClusteredSchedulerFactory}
 * (no DynamoDB store) always holds.
 */
public final class JobFence {
    /** Where {@link ClusteredSchedulerFactory} puts the store in the scheduler context. */
    static final String STORE_KEY = DynamoJobStore.class.getName();

    private JobFence() {}

    /** Whether the firing running {@code context} still holds its lock, fired record and node membership. */
    public static boolean holds(JobExecutionContext context) {
        Object store;
        try {
            store = context.getScheduler().getContext().get(STORE_KEY);
        } catch (SchedulerException e) {
            return false;
        }
        if (!(store instanceof DynamoJobStore dynamo)) {
            return true;
        }
        try {
            return dynamo.stillHolds(context.getFireInstanceId(), context.getJobDetail());
        } catch (RuntimeException unreadable) {
            // if we cannot tell, we must not act as the holder
            return false;
        }
    }

    /** Throws {@link FiringLostException} unless {@link #holds} is true. */
    public static void ensureHeld(JobExecutionContext context) {
        if (!holds(context)) {
            throw new FiringLostException(context.getJobDetail().getKey() + " firing " + context.getFireInstanceId()
                    + " no longer holds its execution (another node took it over, or the table could not be read)");
        }
    }

    /** A running job's firing was taken over; the job must stop before its next side effect. */
    public static final class FiringLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FiringLostException(String message) {
            super(message);
        }
    }
}
