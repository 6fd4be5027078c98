package io.sandboxbroker.jobs.cluster;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One cluster node in its own JVM, for {@link ProcessClusterIT}. Arguments: dynalite endpoint, table,
 * instance id. Reports on stdout ({@code READY}, {@code STARTED}, {@code RUN …}, {@code END …}) and
 * obeys {@code shutdown} on stdin.
 */
public final class ClusterNodeMain {
    static final Duration CHECKIN = Duration.ofMillis(500);
    static final int FAILURE_MULTIPLE = 4;

    private ClusterNodeMain() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String table = args[1];
        String instanceId = args[2];
        DynamoDbClient client = DynamoTestSupport.client(endpoint);
        DynamoJobStoreConfig config = DynamoJobStoreConfig.defaults(table)
                .withCheckinInterval(CHECKIN)
                .withFailureMultiple(FAILURE_MULTIPLE)
                .withIdleWaitTime(Duration.ofSeconds(10))
                .withMisfireThreshold(Duration.ofMinutes(5));
        ClusteredScheduler node =
                ClusteredSchedulerFactory.create(client, config, "process-" + instanceId, instanceId, 3, null);
        report("READY " + instanceId);
        node.scheduler().start();
        report("STARTED " + instanceId);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.trim().equals("shutdown")) {
                break;
            }
        }
        node.scheduler().shutdown(true);
        report("STOPPED " + instanceId);
        System.exit(0);
    }

    static synchronized void report(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** {@code RUN|END <kind> <trigger> <scheduled> <millis> <instance> <recovering>}. */
    static void report(String event, JobExecutionContext context) {
        try {
            report(String.join(
                    " ",
                    event,
                    context.getJobDetail().getKey().getName(),
                    originalTrigger(context),
                    Long.toString(originalScheduledTime(context)),
                    Long.toString(System.currentTimeMillis()),
                    context.getScheduler().getSchedulerInstanceId(),
                    Boolean.toString(context.isRecovering())));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A recovery run reports the firing it re-runs, so the test counts each firing once. */
    private static String originalTrigger(JobExecutionContext context) {
        String group = context.getMergedJobDataMap().getString(org.quartz.Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_GROUP);
        String name = context.getMergedJobDataMap().getString(org.quartz.Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_NAME);
        return context.isRecovering() && group != null
                ? group + "." + name
                : context.getTrigger().getKey().toString();
    }

    private static long originalScheduledTime(JobExecutionContext context) {
        String original = context.getMergedJobDataMap()
                .getString(org.quartz.Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
        return context.isRecovering() && original != null
                ? Long.parseLong(original)
                : context.getScheduledFireTime().getTime();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs long unless it is the recovery run: the test kills the node while it runs. */
    public static final class RecoverableJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            report("RUN", context);
            pause(context.isRecovering() ? 100 : 60_000);
            report("END", context);
        }
    }

    /** Must never run twice at once across the cluster. */
    @DisallowConcurrentExecution
    public static final class ExclusiveJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            report("RUN", context);
            pause(120);
            report("END", context);
        }
    }

    public static final class PlainJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            report("RUN", context);
        }
    }
}
