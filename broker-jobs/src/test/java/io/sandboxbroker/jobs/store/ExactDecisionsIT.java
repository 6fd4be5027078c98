package io.sandboxbroker.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.FaultyDynamoExtension;
import io.sandboxbroker.testkit.Dynalite;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.TriggerState;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.calendar.HolidayCalendar;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.simpl.CascadingClassLoadHelper;
import org.quartz.spi.OperableTrigger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Decisions about groups and calendars are taken on the base table, not on an index: here every index answers as
 * the table was 30 s ago, so an index-based decision would not see what each case stored a moment before. Each case
 * first shows that the index does not list it yet.
 */
class ExactDecisionsIT {
    private static final long HOUR = 3_600_000;
    /** Puts that take up to 0.4 s before they are applied: a trigger's create lands well after its store read the markers. */
    private static final String SLOW_PUTS = "slow-puts";

    private static Dynalite dynalite;
    private static FaultProxy proxy;
    private static DynamoDbClient client;
    private static DynamoDbClient direct;

    private String table;
    private DynamoJobStore store;

    @BeforeAll
    static void startLaggingDynamo() {
        dynalite = Dynalite.start();
        proxy = FaultProxy.start(
                dynalite.endpoint(),
                13L,
                Fault.indexLag(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                Fault.latency(Duration.ZERO, Duration.ofMillis(400))
                        .on("PutItem")
                        .named(SLOW_PUTS));
        proxy.disable(SLOW_PUTS);
        client = FaultyDynamoExtension.client(proxy);
        direct = DynamoTestSupport.client(dynalite);
    }

    @AfterAll
    static void stop() {
        client.close();
        direct.close();
        proxy.close();
        dynalite.close();
    }

    @BeforeEach
    void newStore() throws Exception {
        table = DynamoTestSupport.freshTable(client, "exact");
        store = new DynamoJobStore(
                client, DynamoJobStoreConfig.defaults(table).withMisfireThreshold(Duration.ofSeconds(5)));
        store.setInstanceId("exact-node");
        CascadingClassLoadHelper classes = new CascadingClassLoadHelper();
        classes.initialize();
        store.initialize(classes, new RecordingSignaler());
    }

    @AfterEach
    void shutdown() {
        store.shutdown();
    }

    private static JobDetail job(String name, String group) {
        return JobBuilder.newJob(TestJobs.NoOpJob.class)
                .withIdentity(name, group)
                .storeDurably()
                .build();
    }

    private static OperableTrigger trigger(String name, String group, JobDetail job, long startAt) {
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity(name, group)
                .forJob(job)
                .startAt(new Date(startAt))
                .withSchedule(simpleSchedule().withIntervalInHours(1).repeatForever())
                .build();
        trigger.computeFirstFireTime(null);
        return trigger;
    }

    private TriggerState state(String name, String group) throws JobPersistenceException {
        return store.getTriggerState(new TriggerKey(name, group));
    }

    private void assertIndexDoesNotListTriggersYet() {
        assertThat(store.getTriggerKeys(GroupMatcher.anyTriggerGroup()))
                .as("the index lags: a decision taken on it would miss what was just stored")
                .isEmpty();
    }

    @Test
    void removeCalendar_refusesForATriggerStoredAMomentAgo() throws Exception {
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        JobDetail job = job("j", "g");
        OperableTrigger trigger = trigger("t", "g", job, System.currentTimeMillis() + HOUR);
        trigger.setCalendarName("cal");
        store.storeJobAndTrigger(job, trigger);
        assertIndexDoesNotListTriggersYet();

        assertThatThrownBy(() -> store.removeCalendar("cal")).isInstanceOf(JobPersistenceException.class);
        assertThat(store.retrieveCalendar("cal")).isNotNull();
    }

    @Test
    void storeCalendar_withUpdateTriggers_movesATriggerStoredAMomentAgo() throws Exception {
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        JobDetail job = job("j", "g");
        long start = System.currentTimeMillis() + 48 * HOUR;
        OperableTrigger trigger = trigger("t", "g", job, start);
        trigger.setCalendarName("cal");
        store.storeJobAndTrigger(job, trigger);
        assertIndexDoesNotListTriggersYet();

        HolidayCalendar excludingStartDay = new HolidayCalendar();
        excludingStartDay.addExcludedDate(new Date(start));
        store.storeCalendar("cal", excludingStartDay, true, true);

        assertThat(store.retrieveTrigger(trigger.getKey()).getNextFireTime()).isAfter(new Date(start));
    }

    @Test
    void pauseAndResumeOfGroups_reachTriggersStoredAMomentAgo() throws Exception {
        JobDetail job = job("j", "jobs");
        long start = System.currentTimeMillis() + HOUR;
        store.storeJobAndTrigger(job, trigger("t", "g", job, start));
        store.storeTrigger(trigger("r", "red", job, start), false);
        assertIndexDoesNotListTriggersYet();

        store.pauseTriggers(GroupMatcher.triggerGroupEquals("g"));
        store.pauseTriggers(GroupMatcher.triggerGroupStartsWith("re"));
        assertThat(state("t", "g")).isEqualTo(TriggerState.PAUSED);
        assertThat(state("r", "red")).isEqualTo(TriggerState.PAUSED);
        store.resumeTriggers(GroupMatcher.triggerGroupEquals("g"));
        store.resumeTriggers(GroupMatcher.triggerGroupStartsWith("re"));
        assertThat(state("t", "g")).isEqualTo(TriggerState.NORMAL);
        assertThat(state("r", "red")).isEqualTo(TriggerState.NORMAL);

        store.pauseJobs(GroupMatcher.jobGroupStartsWith("jo"));
        assertThat(state("t", "g")).isEqualTo(TriggerState.PAUSED);
        store.resumeJobs(GroupMatcher.jobGroupStartsWith("jo"));
        assertThat(state("t", "g")).isEqualTo(TriggerState.NORMAL);

        store.pauseAll();
        assertThat(state("r", "red")).isEqualTo(TriggerState.PAUSED);
        store.resumeAll();
        assertThat(state("r", "red")).isEqualTo(TriggerState.NORMAL);
    }

    @Test
    void clearAllSchedulingData_removesWhatWasStoredAMomentAgo() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, System.currentTimeMillis() + HOUR));
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("p"));
        assertIndexDoesNotListTriggersYet();

        store.clearAllSchedulingData();

        assertThat(direct.scanPaginator(b -> b.tableName(table).consistentRead(true))
                        .items())
                .isEmpty();
    }

    /**
     * A group paused while triggers are being stored into it: either the pause's read of the table finds a new
     * trigger, or the trigger's store, reading the group's marker again once the trigger exists, pauses it itself. The
     * same for a resume. Slow puts make a create land after a pause or resume that began after the store read the
     * markers, so the second read is what decides.
     */
    @Test
    void pauseAndResumeOfAGroup_whileTriggersAreStoredIntoIt_leaveNoneBehind() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long start = System.currentTimeMillis() + HOUR;
        int threads = 4;
        int each = 10;
        ExecutorService storers = Executors.newFixedThreadPool(threads);
        proxy.enable(SLOW_PUTS);
        try {
            for (String round : List.of("paused", "resumed")) {
                AtomicInteger stored = new AtomicInteger();
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String prefix = round + "-" + t + "-";
                    work.add(storers.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            store.storeTrigger(trigger(prefix + i, "busy", job, start), false);
                            stored.incrementAndGet();
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> stored.get() >= threads);
                if (round.equals("paused")) {
                    store.pauseTriggers(GroupMatcher.triggerGroupEquals("busy"));
                } else {
                    store.resumeTriggers(GroupMatcher.triggerGroupEquals("busy"));
                }
                for (Future<?> done : work) {
                    done.get();
                }
                TriggerState expected = round.equals("paused") ? TriggerState.PAUSED : TriggerState.NORMAL;
                for (int t = 0; t < threads; t++) {
                    for (int i = 0; i < each; i++) {
                        assertThat(state(round + "-" + t + "-" + i, "busy"))
                                .as(round + "-" + t + "-" + i)
                                .isEqualTo(expected);
                    }
                }
            }
        } finally {
            proxy.disable(SLOW_PUTS);
            storers.shutdownNow();
        }
    }
}
