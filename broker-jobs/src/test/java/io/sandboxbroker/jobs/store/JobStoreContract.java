package io.sandboxbroker.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quartz.CalendarIntervalScheduleBuilder.calendarIntervalSchedule;
import static org.quartz.CronScheduleBuilder.cronSchedule;
import static org.quartz.DailyTimeIntervalScheduleBuilder.dailyTimeIntervalSchedule;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CalendarIntervalTrigger;
import org.quartz.CronTrigger;
import org.quartz.DailyTimeIntervalTrigger;
import org.quartz.DateBuilder.IntervalUnit;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.ScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.Trigger.TriggerState;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.calendar.HolidayCalendar;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.simpl.CascadingClassLoadHelper;
import org.quartz.spi.JobStore;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;

/**
 * The JobStore contract, run against Quartz's RAMJobStore (the reference for the simplest correct
 * behaviour) and against the DynamoDB store. Each case gets a fresh, empty store.
 */
public abstract class JobStoreContract {
    protected static final long MISFIRE_THRESHOLD = 5_000;
    private static final long HOUR = 3_600_000;

    protected JobStore store;
    protected RecordingSignaler signaler;

    /** A fresh store with {@link #MISFIRE_THRESHOLD}, instance id set, not yet initialized. */
    protected abstract JobStore newStore() throws Exception;

    /**
     * Where RAMJobStore and JobStoreSupport (Quartz's JDBC store) behave differently, the DynamoDB store follows
     * JobStoreSupport: the cases that meet such a difference assert each store's own behaviour and say whose it is.
     */
    protected boolean likeJobStoreSupport() {
        return true;
    }

    protected void disposeStore(JobStore used) throws Exception {
        used.shutdown();
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = newStore();
        signaler = new RecordingSignaler();
        CascadingClassLoadHelper classes = new CascadingClassLoadHelper();
        classes.initialize();
        store.initialize(classes, signaler);
    }

    @AfterEach
    void tearDownStore() throws Exception {
        disposeStore(store);
    }

    // --- helpers -----------------------------------------------------------------------------------

    static JobDetail job(String name, String group, Class<? extends Job> type) {
        return JobBuilder.newJob(type)
                .withIdentity(name, group)
                .storeDurably()
                .usingJobData("origin", name)
                .build();
    }

    static JobDetail job(String name, String group) {
        return job(name, group, TestJobs.NoOpJob.class);
    }

    static OperableTrigger trigger(
            String name, String group, JobDetail job, long startAt, ScheduleBuilder<? extends Trigger> schedule) {
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity(name, group)
                .forJob(job)
                .startAt(new Date(startAt))
                .withSchedule(schedule)
                .usingJobData("trigger", name)
                .build();
        trigger.computeFirstFireTime(null);
        return trigger;
    }

    static OperableTrigger trigger(String name, String group, JobDetail job, long startAt) {
        return trigger(
                name,
                group,
                job,
                startAt,
                simpleSchedule().withIntervalInHours(1).repeatForever());
    }

    static long now() {
        return System.currentTimeMillis();
    }

    protected List<TriggerKey> acquire(long noLaterThan, int maxCount, long timeWindow) throws JobPersistenceException {
        return store.acquireNextTriggers(noLaterThan, maxCount, timeWindow).stream()
                .map(Trigger::getKey)
                .toList();
    }

    private TriggerFiredBundle fireOne(long noLaterThan) throws JobPersistenceException {
        List<OperableTrigger> acquired = store.acquireNextTriggers(noLaterThan, 1, 0);
        assertThat(acquired).hasSize(1);
        List<TriggerFiredResult> fired = store.triggersFired(acquired);
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getException()).isNull();
        return fired.get(0).getTriggerFiredBundle();
    }

    // --- jobs --------------------------------------------------------------------------------------

    @Test
    void storeJob_thenRetrieve_roundTripsFieldsAndData() throws Exception {
        JobDetail job = JobBuilder.newJob(TestJobs.StatefulJob.class)
                .withIdentity("a#b%c", "g#1")
                .withDescription("d")
                .requestRecovery()
                .storeDurably()
                .usingJobData("count", 3)
                .usingJobData("name", "x")
                .build();
        store.storeJob(job, false);

        JobDetail read = store.retrieveJob(job.getKey());

        assertThat(read.getKey()).isEqualTo(job.getKey());
        assertThat(read.getJobClass()).isEqualTo(TestJobs.StatefulJob.class);
        assertThat(read.getDescription()).isEqualTo("d");
        assertThat(read.isDurable()).isTrue();
        assertThat(read.requestsRecovery()).isTrue();
        assertThat(read.isConcurrentExecutionDisallowed()).isTrue();
        assertThat(read.isPersistJobDataAfterExecution()).isTrue();
        assertThat(read.getJobDataMap().getInt("count")).isEqualTo(3);
        assertThat(read.getJobDataMap().getString("name")).isEqualTo("x");
        assertThat(store.checkExists(job.getKey())).isTrue();
        assertThat(store.retrieveJob(new JobKey("missing", "g#1"))).isNull();
    }

    @Test
    void storeJob_existingWithoutReplace_throws_withReplace_overwrites() throws Exception {
        store.storeJob(job("j", "g"), false);

        assertThatThrownBy(() -> store.storeJob(job("j", "g"), false)).isInstanceOf(ObjectAlreadyExistsException.class);

        JobDetail replacement = JobBuilder.newJob(TestJobs.NoOpJob.class)
                .withIdentity("j", "g")
                .storeDurably()
                .usingJobData("v", 2)
                .build();
        store.storeJob(replacement, true);
        assertThat(store.retrieveJob(new JobKey("j", "g")).getJobDataMap().getInt("v"))
                .isEqualTo(2);
        assertThat(store.getNumberOfJobs()).isEqualTo(1);
    }

    @Test
    void storeTrigger_forMissingJob_throws() {
        JobDetail ghost = job("ghost", "g");
        assertThatThrownBy(() -> store.storeTrigger(trigger("t", "g", ghost, now() + HOUR), false))
                .isInstanceOf(JobPersistenceException.class);
    }

    @Test
    void storeJobAndTrigger_everyStandardTriggerType_roundTrips() throws Exception {
        JobDetail job = job("j", "g");
        long start = now() + HOUR;
        store.storeJob(job, false);
        store.storeTrigger(
                trigger(
                        "simple",
                        "g",
                        job,
                        start,
                        simpleSchedule().withIntervalInMinutes(5).withRepeatCount(3)),
                false);
        store.storeTrigger(trigger("cron", "g", job, start, cronSchedule("0 0/15 * * * ?")), false);
        store.storeTrigger(
                trigger("calendar", "g", job, start, calendarIntervalSchedule().withInterval(2, IntervalUnit.DAY)),
                false);
        store.storeTrigger(
                trigger("daily", "g", job, start, dailyTimeIntervalSchedule().withIntervalInMinutes(30)), false);
        assertThatThrownBy(() -> store.storeTrigger(trigger("cron", "g", job, start), false))
                .isInstanceOf(ObjectAlreadyExistsException.class);

        assertThat(store.retrieveTrigger(new TriggerKey("simple", "g")))
                .isInstanceOfSatisfying(
                        SimpleTrigger.class, t -> assertThat(t.getRepeatCount()).isEqualTo(3));
        assertThat(store.retrieveTrigger(new TriggerKey("cron", "g")))
                .isInstanceOfSatisfying(
                        CronTrigger.class,
                        t -> assertThat(t.getCronExpression()).isEqualTo("0 0/15 * * * ?"));
        assertThat(store.retrieveTrigger(new TriggerKey("calendar", "g"))).isInstanceOf(CalendarIntervalTrigger.class);
        assertThat(store.retrieveTrigger(new TriggerKey("daily", "g"))).isInstanceOf(DailyTimeIntervalTrigger.class);
        OperableTrigger read = store.retrieveTrigger(new TriggerKey("simple", "g"));
        assertThat(read.getJobKey()).isEqualTo(job.getKey());
        assertThat(read.getNextFireTime()).isEqualTo(new Date(start));
        assertThat(read.getJobDataMap().getString("trigger")).isEqualTo("simple");
        assertThat(store.getTriggersForJob(job.getKey())).hasSize(4);
        assertThat(store.getTriggerState(new TriggerKey("cron", "g"))).isEqualTo(TriggerState.NORMAL);
        assertThat(store.getTriggerState(new TriggerKey("none", "g"))).isEqualTo(TriggerState.NONE);
    }

    @Test
    void removeTrigger_lastOfNonDurableJob_removesJob_butKeepsDurableJob() throws Exception {
        JobDetail transientJob = JobBuilder.newJob(TestJobs.NoOpJob.class)
                .withIdentity("transient", "g")
                .build();
        store.storeJobAndTrigger(transientJob, trigger("t1", "g", transientJob, now() + HOUR));
        store.storeTrigger(trigger("t2", "g", transientJob, now() + HOUR), false);
        JobDetail durable = job("durable", "g");
        store.storeJobAndTrigger(durable, trigger("t3", "g", durable, now() + HOUR));

        assertThat(store.removeTrigger(new TriggerKey("t1", "g"))).isTrue();
        assertThat(store.checkExists(transientJob.getKey())).isTrue();
        assertThat(store.removeTrigger(new TriggerKey("t2", "g"))).isTrue();
        assertThat(store.checkExists(transientJob.getKey())).isFalse();
        assertThat(store.removeTrigger(new TriggerKey("t3", "g"))).isTrue();
        assertThat(store.checkExists(durable.getKey())).isTrue();
        assertThat(store.removeTrigger(new TriggerKey("t3", "g"))).isFalse();
    }

    @Test
    void removeJob_removesItsTriggers() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t1", "g", job, now() + HOUR));
        store.storeTrigger(trigger("t2", "g", job, now() + HOUR), false);

        assertThat(store.removeJob(job.getKey())).isTrue();

        assertThat(store.checkExists(new TriggerKey("t1", "g"))).isFalse();
        assertThat(store.checkExists(new TriggerKey("t2", "g"))).isFalse();
        assertThat(store.getNumberOfTriggers()).isZero();
        assertThat(store.removeJob(job.getKey())).isFalse();
    }

    @Test
    void replaceTrigger_sameJob_replaces_otherJob_throws_missing_returnsFalse() throws Exception {
        JobDetail job = job("j", "g");
        JobDetail other = job("other", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + HOUR));
        store.storeJob(other, false);
        long later = now() + 5 * HOUR;

        assertThat(store.replaceTrigger(new TriggerKey("t", "g"), trigger("t2", "g", job, later)))
                .isTrue();
        assertThat(store.checkExists(new TriggerKey("t", "g"))).isFalse();
        assertThat(store.retrieveTrigger(new TriggerKey("t2", "g")).getNextFireTime())
                .isEqualTo(new Date(later));
        assertThatThrownBy(() -> store.replaceTrigger(new TriggerKey("t2", "g"), trigger("t3", "g", other, later)))
                .isInstanceOf(JobPersistenceException.class);
        assertThat(store.replaceTrigger(new TriggerKey("missing", "g"), trigger("t4", "g", job, later)))
                .isFalse();
        assertThat(store.checkExists(job.getKey())).isTrue();
    }

    @Test
    void replaceTrigger_startsAsAStoredTriggerWould_notInTheOldOnesState() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        store.storeTrigger(trigger("t", "g", job, now() + HOUR), false);
        store.storeTrigger(trigger("q", "quiet", job, now() + HOUR), false);
        store.pauseTrigger(new TriggerKey("t", "g"));
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("quiet"));

        assertThat(store.replaceTrigger(new TriggerKey("t", "g"), trigger("t", "g", job, now() + 2 * HOUR)))
                .isTrue();
        assertThat(store.replaceTrigger(new TriggerKey("q", "quiet"), trigger("q2", "quiet", job, now() + 2 * HOUR)))
                .isTrue();

        assertThat(state("t", "g"))
                .as("paused on its own: its replacement is not")
                .isEqualTo(TriggerState.NORMAL);
        assertThat(state("q2", "quiet")).as("in a paused group").isEqualTo(TriggerState.PAUSED);
        assertThat(store.checkExists(new TriggerKey("q", "quiet"))).isFalse();
    }

    @Test
    void replaceTrigger_whileItsNonConcurrentJobRuns_isBlocked_untilTheRunCompletes() throws Exception {
        JobDetail job = job("nc", "g", TestJobs.NonConcurrentJob.class);
        long start = now() + 200;
        store.storeJob(job, false);
        store.storeTrigger(trigger("run", "g", job, start), false);
        store.storeTrigger(trigger("t", "g", job, start + HOUR), false);
        TriggerFiredBundle running = fireOne(start + 1_000);

        assertThat(store.replaceTrigger(new TriggerKey("t", "g"), trigger("t2", "g", job, start + 2 * HOUR)))
                .isTrue();
        assertThat(state("t2", "g")).isEqualTo(TriggerState.BLOCKED);

        store.triggeredJobComplete(running.getTrigger(), running.getJobDetail(), CompletedExecutionInstruction.NOOP);
        assertThat(state("t2", "g")).isEqualTo(TriggerState.NORMAL);
    }

    @Test
    void replaceTrigger_underATakenKey_throwsAndKeepsBoth_andReplacingTheLastTriggerKeepsANonDurableJob()
            throws Exception {
        JobDetail transientJob = JobBuilder.newJob(TestJobs.NoOpJob.class)
                .withIdentity("transient", "g")
                .build();
        long start = now() + HOUR;
        store.storeJobAndTrigger(transientJob, trigger("t1", "g", transientJob, start));
        store.storeTrigger(trigger("t2", "g", transientJob, start), false);

        assertThatThrownBy(() -> store.replaceTrigger(
                        new TriggerKey("t1", "g"), trigger("t2", "g", transientJob, start + 3 * HOUR)))
                .isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(store.checkExists(new TriggerKey("t1", "g"))).isTrue();
        assertThat(nextFire("t2", "g")).isEqualTo(new Date(start));

        store.removeTrigger(new TriggerKey("t2", "g"));
        assertThat(store.replaceTrigger(new TriggerKey("t1", "g"), trigger("t3", "g", transientJob, start)))
                .isTrue();
        assertThat(store.checkExists(transientJob.getKey())).isTrue();
        assertThat(store.getTriggersForJob(transientJob.getKey()))
                .extracting(Trigger::getKey)
                .containsExactly(new TriggerKey("t3", "g"));
        assertThat(signaler.jobsDeleted).isEmpty();
    }

    @Test
    void listings_byGroupMatchers_groupNames_andCounts() throws Exception {
        JobDetail a1 = job("a1", "alpha");
        JobDetail a2 = job("a2", "alpha");
        JobDetail b1 = job("b1", "beta");
        store.storeJobAndTrigger(a1, trigger("ta1", "red", a1, now() + HOUR));
        store.storeJobAndTrigger(a2, trigger("ta2", "green", a2, now() + HOUR));
        store.storeJobAndTrigger(b1, trigger("tb1", "red", b1, now() + HOUR));

        assertThat(store.getJobKeys(GroupMatcher.jobGroupEquals("alpha")))
                .containsExactlyInAnyOrder(a1.getKey(), a2.getKey());
        assertThat(store.getJobKeys(GroupMatcher.jobGroupStartsWith("be"))).containsExactly(b1.getKey());
        assertThat(store.getJobKeys(GroupMatcher.jobGroupEndsWith("ta"))).containsExactly(b1.getKey());
        assertThat(store.getJobKeys(GroupMatcher.anyJobGroup())).hasSize(3);
        assertThat(store.getTriggerKeys(GroupMatcher.triggerGroupEquals("red")))
                .containsExactlyInAnyOrder(new TriggerKey("ta1", "red"), new TriggerKey("tb1", "red"));
        assertThat(store.getTriggerKeys(GroupMatcher.triggerGroupContains("ree")))
                .containsExactly(new TriggerKey("ta2", "green"));
        assertThat(store.getJobGroupNames()).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(store.getTriggerGroupNames()).containsExactlyInAnyOrder("red", "green");
        assertThat(store.getNumberOfJobs()).isEqualTo(3);
        assertThat(store.getNumberOfTriggers()).isEqualTo(3);
        assertThat(store.getJobDetails(GroupMatcher.jobGroupEquals("beta")))
                .extracting(JobDetail::getKey)
                .containsExactly(b1.getKey());
        assertThat(store.getTriggersByJobAndTriggerGroup(
                        GroupMatcher.jobGroupEquals("alpha"), GroupMatcher.triggerGroupEquals("red")))
                .extracting(Trigger::getKey)
                .containsExactly(new TriggerKey("ta1", "red"));
    }

    // --- acquisition -------------------------------------------------------------------------------

    @Test
    void acquireNextTriggers_ordersByFireTimeThenPriority() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long base = now() + 2_000;
        store.storeTrigger(priority(trigger("late", "g", job, base + 300), 10), false);
        store.storeTrigger(priority(trigger("low", "g", job, base), 1), false);
        store.storeTrigger(priority(trigger("high", "g", job, base), 9), false);
        store.storeTrigger(priority(trigger("early", "g", job, base - 200), 5), false);

        assertThat(acquire(base + 1_000, 10, 1_000))
                .containsExactly(
                        new TriggerKey("early", "g"),
                        new TriggerKey("high", "g"),
                        new TriggerKey("low", "g"),
                        new TriggerKey("late", "g"));
    }

    private static OperableTrigger priority(OperableTrigger trigger, int priority) {
        trigger.setPriority(priority);
        return trigger;
    }

    @Test
    void acquireNextTriggers_respectsNoLaterThan_andBatchWindow() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long base = now() + 2_000;
        store.storeTrigger(trigger("t0", "g", job, base), false);
        store.storeTrigger(trigger("t1", "g", job, base + 500), false);
        store.storeTrigger(trigger("t2", "g", job, base + 3_000), false);

        assertThat(acquire(base - 1_000, 10, 0)).isEmpty();
        assertThat(acquire(base, 10, 1_000)).containsExactly(new TriggerKey("t0", "g"), new TriggerKey("t1", "g"));
        assertThat(acquire(base + 10_000, 1, 0)).containsExactly(new TriggerKey("t2", "g"));
    }

    @Test
    void acquiredTrigger_isNotAcquiredAgain_untilReleased() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));

        List<OperableTrigger> first = store.acquireNextTriggers(now() + 5_000, 1, 0);
        assertThat(first).hasSize(1);
        assertThat(acquire(now() + 5_000, 1, 0)).isEmpty();

        store.releaseAcquiredTrigger(first.get(0));
        assertThat(acquire(now() + 5_000, 1, 0)).containsExactly(new TriggerKey("t", "g"));
    }

    @Test
    void releaseAcquiredTrigger_releasesByKey_whateverFireIdTheArgumentCarries() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));
        TriggerKey key = new TriggerKey("t", "g");

        assertThat(acquire(now() + 5_000, 1, 0)).containsExactly(key);
        OperableTrigger callersCopy = store.retrieveTrigger(key);
        callersCopy.setFireInstanceId(null);
        store.releaseAcquiredTrigger(callersCopy);
        assertThat(store.getTriggerState(key)).isEqualTo(TriggerState.NORMAL);

        List<OperableTrigger> again = store.acquireNextTriggers(now() + 5_000, 1, 0);
        assertThat(again).extracting(Trigger::getKey).containsExactly(key);
        OperableTrigger otherId = (OperableTrigger) again.get(0).clone();
        otherId.setFireInstanceId("not-the-one-the-store-set");
        store.releaseAcquiredTrigger(otherId);
        assertThat(acquire(now() + 5_000, 1, 0)).containsExactly(key);
    }

    @Test
    void releaseAcquiredTrigger_ofAWaitingTrigger_changesNothing() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));
        TriggerKey key = new TriggerKey("t", "g");

        store.releaseAcquiredTrigger(store.retrieveTrigger(key));

        assertThat(store.getTriggerState(key)).isEqualTo(TriggerState.NORMAL);
        assertThat(acquire(now() + 5_000, 1, 0)).containsExactly(key);
        assertThat(acquire(now() + 5_000, 1, 0)).isEmpty();
    }

    @Test
    void batchWindow_afterAReleaseByKey_startsAgainAtTheReleasedTrigger() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long base = now() + 2_000;
        store.storeTrigger(trigger("t0", "g", job, base), false);
        store.storeTrigger(trigger("t1", "g", job, base + 500), false);
        store.storeTrigger(trigger("t2", "g", job, base + 3_000), false);

        assertThat(acquire(base, 1, 0)).containsExactly(new TriggerKey("t0", "g"));
        OperableTrigger callersCopy = store.retrieveTrigger(new TriggerKey("t0", "g"));
        callersCopy.setFireInstanceId(null);
        store.releaseAcquiredTrigger(callersCopy);

        assertThat(acquire(base, 10, 1_000)).containsExactly(new TriggerKey("t0", "g"), new TriggerKey("t1", "g"));
    }

    @Test
    void batchWindow_ofAnOverdueFirstTrigger_reachesFromNow() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long start = now();
        // within the misfire threshold: overdue, not misfired
        store.storeTrigger(trigger("overdue", "g", job, start - 2_000), false);
        store.storeTrigger(trigger("soon", "g", job, start + 500), false);
        store.storeTrigger(trigger("later", "g", job, start + 60_000), false);

        // the window is max(first fire time, now) + timeWindow, so "soon" is in although it is 2.5 s after "overdue"
        assertThat(acquire(start, 10, 1_500))
                .containsExactly(new TriggerKey("overdue", "g"), new TriggerKey("soon", "g"));
    }

    @Test
    void acquireNextTriggers_afterAPartialAcquisition_seesAnEarlierTriggerStoredSince() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long base = now() + 2_000;
        for (int i = 1; i <= 3; i++) {
            store.storeTrigger(trigger("t" + i, "g", job, base + i * 100L), false);
        }
        assertThat(acquire(base + 1_000, 1, 0)).containsExactly(new TriggerKey("t1", "g"));

        store.storeTrigger(trigger("early", "g", job, base), false);
        store.storeTrigger(priority(trigger("urgent", "g", job, base + 200), 9), false);

        assertThat(acquire(base + 1_000, 1, 0)).containsExactly(new TriggerKey("early", "g"));
        assertThat(acquire(base + 1_000, 2, 0))
                .containsExactly(new TriggerKey("urgent", "g"), new TriggerKey("t2", "g"));
    }

    @Test
    void batchWindow_isCutAtMaxCount_andLeavesTheRestWaiting() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long base = now() + 2_000;
        for (int i = 0; i < 5; i++) {
            store.storeTrigger(trigger("t" + i, "g", job, base + i * 10L), false);
        }

        assertThat(acquire(base, 3, 1_000))
                .containsExactly(new TriggerKey("t0", "g"), new TriggerKey("t1", "g"), new TriggerKey("t2", "g"));
        // the first of a batch must be due by noLaterThan; the window only widens what follows it
        assertThat(acquire(base, 3, 1_000)).isEmpty();
        assertThat(acquire(base + 30, 3, 1_000)).containsExactly(new TriggerKey("t3", "g"), new TriggerKey("t4", "g"));
    }

    @Test
    void triggersFired_advancesTrigger_andDeleteInstructionRemovesFinishedTrigger() throws Exception {
        JobDetail job = job("j", "g");
        long start = now() + 500;
        store.storeJobAndTrigger(
                job,
                trigger(
                        "t",
                        "g",
                        job,
                        start,
                        simpleSchedule().withIntervalInSeconds(60).withRepeatCount(1)));

        TriggerFiredBundle first = fireOne(start + 1_000);
        assertThat(first.getScheduledFireTime()).isEqualTo(new Date(start));
        assertThat(first.getJobDetail().getKey()).isEqualTo(job.getKey());
        assertThat(first.getTrigger().getJobDataMap().getString("trigger")).isEqualTo("t");
        assertThat(store.retrieveTrigger(new TriggerKey("t", "g")).getNextFireTime())
                .isEqualTo(new Date(start + 60_000));
        store.triggeredJobComplete(first.getTrigger(), first.getJobDetail(), CompletedExecutionInstruction.NOOP);

        TriggerFiredBundle last = fireOne(start + 61_000);
        assertThat(last.getNextFireTime()).isNull();
        store.triggeredJobComplete(
                last.getTrigger(), last.getJobDetail(), CompletedExecutionInstruction.DELETE_TRIGGER);
        assertThat(store.checkExists(new TriggerKey("t", "g"))).isFalse();
        assertThat(store.checkExists(job.getKey())).isTrue();
    }

    @Test
    void deleteInstruction_ofTheLastTrigger_removesTheNonDurableJob_andTellsListeners() throws Exception {
        JobDetail job = JobBuilder.newJob(TestJobs.NoOpJob.class)
                .withIdentity("once", "g")
                .build();
        long start = now() + 200;
        store.storeJobAndTrigger(job, trigger("t", "g", job, start, simpleSchedule()));

        TriggerFiredBundle fired = fireOne(start + 1_000);
        assertThat(fired.getNextFireTime()).isNull();
        store.triggeredJobComplete(
                fired.getTrigger(), fired.getJobDetail(), CompletedExecutionInstruction.DELETE_TRIGGER);

        assertThat(store.checkExists(new TriggerKey("t", "g"))).isFalse();
        assertThat(store.checkExists(job.getKey())).isFalse();
        assertThat(signaler.jobsDeleted).containsExactly(job.getKey());
    }

    @Test
    void deleteInstruction_ofAFinishedTrigger_rescheduledWhileItRan_keepsTheNewSchedule() throws Exception {
        JobDetail job = job("j", "g");
        long start = now() + 200;
        store.storeJobAndTrigger(job, trigger("t", "g", job, start, simpleSchedule()));
        TriggerFiredBundle fired = fireOne(start + 1_000);

        store.replaceTrigger(new TriggerKey("t", "g"), trigger("t", "g", job, start + HOUR));
        store.triggeredJobComplete(
                fired.getTrigger(), fired.getJobDetail(), CompletedExecutionInstruction.DELETE_TRIGGER);

        assertThat(store.retrieveTrigger(new TriggerKey("t", "g")).getNextFireTime())
                .isEqualTo(new Date(start + HOUR));
        assertThat(store.getTriggerState(new TriggerKey("t", "g"))).isEqualTo(TriggerState.NORMAL);
    }

    // --- pause and resume --------------------------------------------------------------------------

    @Test
    void pauseTrigger_isNotAcquired_untilResumed() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));

        store.pauseTrigger(new TriggerKey("t", "g"));
        assertThat(store.getTriggerState(new TriggerKey("t", "g"))).isEqualTo(TriggerState.PAUSED);
        assertThat(acquire(now() + 5_000, 5, 5_000)).isEmpty();

        store.resumeTrigger(new TriggerKey("t", "g"));
        assertThat(store.getTriggerState(new TriggerKey("t", "g"))).isEqualTo(TriggerState.NORMAL);
        assertThat(acquire(now() + 5_000, 5, 5_000)).containsExactly(new TriggerKey("t", "g"));
    }

    @Test
    void pauseTriggerGroup_pausesMembers_andTriggersAddedLater() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t1", "paused", job, now() + 1_000));

        assertThat(store.pauseTriggers(GroupMatcher.triggerGroupEquals("paused")))
                .containsExactly("paused");
        store.storeTrigger(trigger("t2", "paused", job, now() + 1_000), false);
        store.storeTrigger(trigger("t3", "other", job, now() + 1_000), false);

        assertThat(store.getTriggerState(new TriggerKey("t1", "paused"))).isEqualTo(TriggerState.PAUSED);
        assertThat(store.getTriggerState(new TriggerKey("t2", "paused"))).isEqualTo(TriggerState.PAUSED);
        assertThat(store.getPausedTriggerGroups()).containsExactly("paused");
        assertThat(acquire(now() + 5_000, 5, 5_000)).containsExactly(new TriggerKey("t3", "other"));

        store.resumeTriggers(GroupMatcher.triggerGroupEquals("paused"));
        assertThat(store.getPausedTriggerGroups()).isEmpty();
        assertThat(acquire(now() + 5_000, 5, 5_000))
                .containsExactlyInAnyOrder(new TriggerKey("t1", "paused"), new TriggerKey("t2", "paused"));
    }

    @Test
    void pauseJobGroup_beforeJobsExist_newJobsTriggersStartPaused() throws Exception {
        assertThat(store.pauseJobs(GroupMatcher.jobGroupEquals("later"))).containsExactly("later");
        JobDetail job = job("j", "later");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));

        assertThat(store.getTriggerState(new TriggerKey("t", "g"))).isEqualTo(TriggerState.PAUSED);
        assertThat(acquire(now() + 5_000, 5, 5_000)).isEmpty();

        store.resumeJobs(GroupMatcher.jobGroupEquals("later"));
        assertThat(store.getTriggerState(new TriggerKey("t", "g"))).isEqualTo(TriggerState.NORMAL);
        store.storeTrigger(trigger("t2", "g", job, now() + 1_000), false);
        assertThat(store.getTriggerState(new TriggerKey("t2", "g"))).isEqualTo(TriggerState.NORMAL);
    }

    @Test
    void pauseJob_andPauseAll_resumeAll() throws Exception {
        JobDetail a = job("a", "g");
        JobDetail b = job("b", "g");
        store.storeJobAndTrigger(a, trigger("ta", "x", a, now() + 1_000));
        store.storeJobAndTrigger(b, trigger("tb", "y", b, now() + 1_000));

        store.pauseJob(a.getKey());
        assertThat(store.getTriggerState(new TriggerKey("ta", "x"))).isEqualTo(TriggerState.PAUSED);
        assertThat(store.getTriggerState(new TriggerKey("tb", "y"))).isEqualTo(TriggerState.NORMAL);
        store.resumeJob(a.getKey());
        assertThat(store.getTriggerState(new TriggerKey("ta", "x"))).isEqualTo(TriggerState.NORMAL);

        store.pauseAll();
        assertThat(store.getPausedTriggerGroups()).containsExactlyInAnyOrder("x", "y");
        assertThat(acquire(now() + 5_000, 5, 5_000)).isEmpty();
        store.resumeAll();
        assertThat(store.getPausedTriggerGroups()).isEmpty();
        assertThat(acquire(now() + 5_000, 5, 5_000)).hasSize(2);
    }

    @Test
    void pauseTriggers_ofAGroupWithoutTriggersYet_remembersIt_untilResumed() throws Exception {
        assertThat(store.pauseTriggers(GroupMatcher.triggerGroupEquals("later")))
                .containsExactly("later");
        assertThat(store.getPausedTriggerGroups()).containsExactly("later");
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t1", "later", job, now() + 1_000));
        assertThat(state("t1", "later")).isEqualTo(TriggerState.PAUSED);

        assertThat(store.resumeTriggers(GroupMatcher.triggerGroupEquals("later")))
                .containsExactly("later");
        assertThat(store.getPausedTriggerGroups()).isEmpty();
        assertThat(state("t1", "later")).isEqualTo(TriggerState.NORMAL);
        store.storeTrigger(trigger("t2", "later", job, now() + 1_000), false);
        assertThat(state("t2", "later")).isEqualTo(TriggerState.NORMAL);
        assertThat(store.resumeTriggers(GroupMatcher.triggerGroupEquals("empty")))
                .as("the groups of the triggers resumed")
                .isEmpty();
    }

    @Test
    void pauseTriggers_withAPattern_pausesEveryMatchingGroup_notGroupsCreatedLater() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        store.storeTrigger(trigger("a", "red1", job, now() + HOUR), false);
        store.storeTrigger(trigger("b", "red2", job, now() + HOUR), false);
        store.storeTrigger(trigger("c", "blue", job, now() + HOUR), false);

        Collection<String> groups = store.pauseTriggers(GroupMatcher.triggerGroupStartsWith("red"));
        store.storeTrigger(trigger("d", "red3", job, now() + HOUR), false);

        assertThat(state("c", "blue")).isEqualTo(TriggerState.NORMAL);
        assertThat(state("d", "red3")).as("the pattern is not remembered").isEqualTo(TriggerState.NORMAL);
        if (likeJobStoreSupport()) {
            assertThat(groups).containsExactlyInAnyOrder("red1", "red2");
            assertThat(store.getPausedTriggerGroups()).containsExactlyInAnyOrder("red1", "red2");
            assertThat(state("a", "red1")).isEqualTo(TriggerState.PAUSED);
            assertThat(state("b", "red2")).isEqualTo(TriggerState.PAUSED);
            store.storeTrigger(trigger("e", "red1", job, now() + HOUR), false);
            assertThat(state("e", "red1"))
                    .as("each matching group is remembered")
                    .isEqualTo(TriggerState.PAUSED);
        } else {
            // RAMJobStore remembers the pattern's text instead of each group it matched: only one group is paused
            assertThat(groups).hasSize(1);
            assertThat(List.of(state("a", "red1"), state("b", "red2"))).containsOnlyOnce(TriggerState.PAUSED);
        }
    }

    @Test
    void pauseTrigger_ofATriggerInError_leavesItInError_likeJobStoreSupport() throws Exception {
        JobDetail job = job("j", "g");
        long start = now() + 200;
        store.storeJobAndTrigger(job, trigger("t", "g", job, start));
        TriggerFiredBundle fired = fireOne(start + 1_000);
        store.triggeredJobComplete(
                fired.getTrigger(), fired.getJobDetail(), CompletedExecutionInstruction.SET_TRIGGER_ERROR);

        store.pauseTrigger(new TriggerKey("t", "g"));

        if (likeJobStoreSupport()) {
            assertThat(state("t", "g")).isEqualTo(TriggerState.ERROR);
        } else {
            // RAMJobStore pauses every trigger that is not complete
            assertThat(state("t", "g")).isEqualTo(TriggerState.PAUSED);
        }
    }

    @Test
    void resetTriggerFromErrorState_goesToNormal_orToPausedInAPausedGroup() throws Exception {
        JobDetail job = job("j", "g");
        long start = now() + 200;
        store.storeJob(job, false);
        store.storeTrigger(trigger("t1", "g", job, start), false);
        store.storeTrigger(trigger("t2", "p", job, start + 1), false);
        TriggerFiredBundle first = fireOne(start + 1_000);
        TriggerFiredBundle second = fireOne(start + 1_000);
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("p"));
        for (TriggerFiredBundle fired : List.of(first, second)) {
            store.triggeredJobComplete(
                    fired.getTrigger(), fired.getJobDetail(), CompletedExecutionInstruction.SET_TRIGGER_ERROR);
        }
        assertThat(state("t1", "g")).isEqualTo(TriggerState.ERROR);
        assertThat(state("t2", "p")).isEqualTo(TriggerState.ERROR);

        store.resetTriggerFromErrorState(new TriggerKey("t1", "g"));
        store.resetTriggerFromErrorState(new TriggerKey("t2", "p"));

        assertThat(state("t1", "g")).isEqualTo(TriggerState.NORMAL);
        assertThat(state("t2", "p")).isEqualTo(TriggerState.PAUSED);
    }

    @Test
    void pauseAll_thenATriggerInANewGroup_likeJobStoreSupport_startsPaused_untilResumeAll() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "x", job, now() + 1_000));

        store.pauseAll();
        store.storeTrigger(trigger("n", "new", job, now() + 1_000), false);

        assertThat(state("t", "x")).isEqualTo(TriggerState.PAUSED);
        if (likeJobStoreSupport()) {
            assertThat(state("n", "new")).isEqualTo(TriggerState.PAUSED);
            // JobStoreSupport would list its marker for "all groups" too; ours lists groups only
            assertThat(store.getPausedTriggerGroups()).containsExactlyInAnyOrder("x", "new");
        } else {
            // RAMJobStore pauses the groups that exist when pauseAll is called, no others
            assertThat(state("n", "new")).isEqualTo(TriggerState.NORMAL);
            assertThat(store.getPausedTriggerGroups()).containsExactly("x");
        }

        store.resumeAll();
        assertThat(store.getPausedTriggerGroups()).isEmpty();
        assertThat(state("t", "x")).isEqualTo(TriggerState.NORMAL);
        assertThat(state("n", "new")).isEqualTo(TriggerState.NORMAL);
        store.storeTrigger(trigger("m", "newer", job, now() + 1_000), false);
        assertThat(state("m", "newer")).isEqualTo(TriggerState.NORMAL);
        assertThat(acquire(now() + 5_000, 5, 5_000)).hasSize(3);
    }

    @Test
    void resumeAll_forgetsPausedJobGroups_butLikeJobStoreSupport_onlyResumesTriggerGroupsThatHaveTriggers()
            throws Exception {
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("empty"));
        store.pauseJobs(GroupMatcher.jobGroupEquals("jobs"));

        store.resumeAll();

        JobDetail job = job("j", "jobs");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));
        assertThat(state("t", "g")).isEqualTo(TriggerState.NORMAL);
        if (likeJobStoreSupport()) {
            assertThat(store.getPausedTriggerGroups()).containsExactly("empty");
        } else {
            // RAMJobStore forgets every paused group
            assertThat(store.getPausedTriggerGroups()).isEmpty();
        }
    }

    @Test
    void resumeTriggers_ofATriggerWhoseJobGroupIsPaused_likeJobStoreSupport_resumesIt() throws Exception {
        JobDetail job = job("j", "jobs");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + 1_000));
        store.pauseJobs(GroupMatcher.jobGroupEquals("jobs"));
        assertThat(state("t", "g")).isEqualTo(TriggerState.PAUSED);

        assertThat(store.resumeTriggers(GroupMatcher.triggerGroupEquals("g"))).containsExactly("g");

        if (likeJobStoreSupport()) {
            assertThat(state("t", "g")).isEqualTo(TriggerState.NORMAL);
        } else {
            // RAMJobStore leaves the triggers of a paused job group paused
            assertThat(state("t", "g")).isEqualTo(TriggerState.PAUSED);
        }
        store.resumeJobs(GroupMatcher.jobGroupEquals("jobs"));
        assertThat(state("t", "g")).isEqualTo(TriggerState.NORMAL);
    }

    // --- calendars ---------------------------------------------------------------------------------

    @Test
    void calendars_storeRetrieveRemove_andReferencedCalendarCannotBeRemoved() throws Exception {
        HolidayCalendar holidays = new HolidayCalendar();
        holidays.addExcludedDate(new Date(now() + 24 * HOUR));
        store.storeCalendar("holidays", holidays, false, false);
        assertThatThrownBy(() -> store.storeCalendar("holidays", new HolidayCalendar(), false, false))
                .isInstanceOf(ObjectAlreadyExistsException.class);

        assertThat(store.retrieveCalendar("holidays"))
                .isInstanceOfSatisfying(
                        HolidayCalendar.class,
                        c -> assertThat(c.getExcludedDates()).hasSize(1));
        assertThat(store.getCalendarNames()).containsExactly("holidays");
        assertThat(store.getNumberOfCalendars()).isEqualTo(1);

        JobDetail job = job("j", "g");
        OperableTrigger trigger = trigger("t", "g", job, now() + HOUR);
        trigger.setCalendarName("holidays");
        store.storeJobAndTrigger(job, trigger);
        assertThatThrownBy(() -> store.removeCalendar("holidays")).isInstanceOf(JobPersistenceException.class);

        store.removeTrigger(trigger.getKey());
        assertThat(store.removeCalendar("holidays")).isTrue();
        assertThat(store.retrieveCalendar("holidays")).isNull();
    }

    @Test
    void storeCalendar_withUpdateTriggers_movesTriggersOutOfExcludedTimes() throws Exception {
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        JobDetail job = job("j", "g");
        long start = now() + 48 * HOUR;
        OperableTrigger trigger = trigger("t", "g", job, start);
        trigger.setCalendarName("cal");
        store.storeJobAndTrigger(job, trigger);

        HolidayCalendar excludingStartDay = new HolidayCalendar();
        excludingStartDay.addExcludedDate(new Date(start));
        store.storeCalendar("cal", excludingStartDay, true, true);

        Date next = store.retrieveTrigger(trigger.getKey()).getNextFireTime();
        assertThat(next).isAfter(new Date(start));
        assertThat(excludingStartDay.isTimeIncluded(next.getTime())).isTrue();
    }

    private static OperableTrigger withCalendar(OperableTrigger trigger, String calendarName) {
        trigger.setCalendarName(calendarName);
        return trigger;
    }

    private Date nextFire(String name, String group) throws JobPersistenceException {
        return store.retrieveTrigger(new TriggerKey(name, group)).getNextFireTime();
    }

    private TriggerState state(String name, String group) throws JobPersistenceException {
        return store.getTriggerState(new TriggerKey(name, group));
    }

    private static HolidayCalendar excluding(long day) {
        HolidayCalendar calendar = new HolidayCalendar();
        calendar.addExcludedDate(new Date(day));
        return calendar;
    }

    @Test
    void storeCalendar_replacedWithUpdateTriggers_recomputesTheTriggersThatUseIt_only() throws Exception {
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        store.storeCalendar("other", new HolidayCalendar(), false, false);
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long start = now() + 48 * HOUR;
        store.storeTrigger(withCalendar(trigger("uses", "g", job, start), "cal"), false);
        store.storeTrigger(withCalendar(trigger("paused", "g", job, start), "cal"), false);
        store.storeTrigger(withCalendar(trigger("another", "g", job, start), "other"), false);
        store.storeTrigger(trigger("none", "g", job, start), false);
        store.pauseTrigger(new TriggerKey("paused", "g"));

        store.storeCalendar("cal", excluding(start), true, true);

        assertThat(nextFire("uses", "g")).isAfter(new Date(start));
        assertThat(excluding(start).isTimeIncluded(nextFire("uses", "g").getTime()))
                .isTrue();
        assertThat(nextFire("paused", "g")).isEqualTo(nextFire("uses", "g"));
        // JobStoreSupport stores each updated trigger as WAITING again; RAMJobStore and ours keep its state
        assertThat(state("paused", "g")).isEqualTo(TriggerState.PAUSED);
        assertThat(nextFire("another", "g")).isEqualTo(new Date(start));
        assertThat(nextFire("none", "g")).isEqualTo(new Date(start));
    }

    @Test
    void storeCalendar_withoutUpdateTriggers_orStoredNew_leavesNextFireTimes() throws Exception {
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        long start = now() + 48 * HOUR;
        store.storeTrigger(withCalendar(trigger("t", "g", job, start), "cal"), false);
        store.storeTrigger(withCalendar(trigger("early", "g", job, start), "new"), false);

        store.storeCalendar("cal", excluding(start), true, false);
        store.storeCalendar("new", excluding(start), false, true);

        assertThat(nextFire("t", "g")).isEqualTo(new Date(start));
        assertThat(nextFire("early", "g"))
                .as("only an existing calendar's triggers are updated")
                .isEqualTo(new Date(start));
        assertThat(store.retrieveCalendar("cal"))
                .isInstanceOfSatisfying(
                        HolidayCalendar.class,
                        c -> assertThat(c.getExcludedDates()).hasSize(1));
    }

    @Test
    void removeCalendar_refusedWhileAnyTriggerNamesIt_whateverItsState_falseWhenMissing() throws Exception {
        store.storeCalendar("cal", new HolidayCalendar(), false, false);
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, withCalendar(trigger("t", "g", job, now() + HOUR), "cal"));
        store.pauseTrigger(new TriggerKey("t", "g"));

        assertThatThrownBy(() -> store.removeCalendar("cal")).isInstanceOf(JobPersistenceException.class);
        assertThat(store.retrieveCalendar("cal")).isNotNull();

        store.removeJob(job.getKey());
        assertThat(store.removeCalendar("cal")).isTrue();
        assertThat(store.removeCalendar("cal")).isFalse();
        assertThat(store.removeCalendar("never")).isFalse();
    }

    // --- misfires ----------------------------------------------------------------------------------

    @Test
    void misfiredOneShot_withFireNow_isAcquiredAtOnce_andListenersAreTold() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(
                job,
                trigger(
                        "t",
                        "g",
                        job,
                        now() - 10 * MISFIRE_THRESHOLD,
                        simpleSchedule().withMisfireHandlingInstructionFireNow()));

        List<OperableTrigger> acquired = store.acquireNextTriggers(now() + 1_000, 5, 0);

        assertThat(acquired).extracting(Trigger::getKey).containsExactly(new TriggerKey("t", "g"));
        assertThat(acquired.get(0).getNextFireTime().getTime()).isGreaterThan(now() - MISFIRE_THRESHOLD);
        assertThat(signaler.misfired).contains(new TriggerKey("t", "g"));
    }

    @Test
    void misfiredRepeatingTriggers_followTheirOwnInstruction() throws Exception {
        JobDetail job = job("j", "g");
        long longAgo = now() - 3 * HOUR - 1_000;
        store.storeJob(job, false);
        store.storeTrigger(
                trigger(
                        "skip",
                        "g",
                        job,
                        longAgo,
                        simpleSchedule()
                                .withIntervalInHours(1)
                                .repeatForever()
                                .withMisfireHandlingInstructionNextWithRemainingCount()),
                false);
        store.storeTrigger(
                trigger(
                        "cron",
                        "g",
                        job,
                        longAgo,
                        cronSchedule("0 0 * * * ?").withMisfireHandlingInstructionDoNothing()),
                false);
        OperableTrigger ignoring = trigger(
                "ignore",
                "g",
                job,
                longAgo,
                simpleSchedule().withIntervalInHours(1).repeatForever().withMisfireHandlingInstructionIgnoreMisfires());
        store.storeTrigger(ignoring, false);

        List<TriggerKey> acquired = acquire(now() + 1_000, 5, 0);

        assertThat(acquired).containsExactly(new TriggerKey("ignore", "g"));
        assertThat(store.retrieveTrigger(new TriggerKey("skip", "g")).getNextFireTime())
                .isAfter(new Date());
        assertThat(store.retrieveTrigger(new TriggerKey("cron", "g")).getNextFireTime())
                .isAfter(new Date());
        assertThat(signaler.misfired)
                .containsExactlyInAnyOrder(new TriggerKey("skip", "g"), new TriggerKey("cron", "g"));
    }

    @Test
    void misfiredOneShot_withNowWithRemainingCount_stillFires_butExhaustedDoNothingCompletes() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        store.storeTrigger(
                trigger(
                        "gone",
                        "g",
                        job,
                        now() - 10 * MISFIRE_THRESHOLD,
                        simpleSchedule().withMisfireHandlingInstructionNextWithRemainingCount()),
                false);

        assertThat(acquire(now() + 1_000, 5, 0)).isEmpty();
        assertThat(store.getTriggerState(new TriggerKey("gone", "g"))).isEqualTo(TriggerState.COMPLETE);
        assertThat(signaler.finalized).contains(new TriggerKey("gone", "g"));
    }

    // --- concurrency and job data ------------------------------------------------------------------

    @Test
    void disallowConcurrentExecution_blocksOtherTriggers_untilTheRunCompletes() throws Exception {
        JobDetail job = job("nc", "g", TestJobs.NonConcurrentJob.class);
        long start = now() + 200;
        store.storeJob(job, false);
        store.storeTrigger(trigger("t1", "g", job, start), false);
        store.storeTrigger(trigger("t2", "g", job, start), false);

        List<OperableTrigger> batch = store.acquireNextTriggers(start + 1_000, 5, 1_000);
        assertThat(batch).as("one trigger per non-concurrent job per batch").hasSize(1);
        TriggerFiredBundle running = store.triggersFired(batch).get(0).getTriggerFiredBundle();
        TriggerKey other = running.getTrigger().getKey().getName().equals("t1")
                ? new TriggerKey("t2", "g")
                : new TriggerKey("t1", "g");

        assertThat(store.getTriggerState(other)).isEqualTo(TriggerState.BLOCKED);
        assertThat(acquire(start + 1_000, 5, 1_000)).isEmpty();

        store.triggeredJobComplete(running.getTrigger(), running.getJobDetail(), CompletedExecutionInstruction.NOOP);
        assertThat(store.getTriggerState(other)).isEqualTo(TriggerState.NORMAL);
        assertThat(store.getTriggerState(running.getTrigger().getKey())).isEqualTo(TriggerState.NORMAL);
        assertThat(acquire(start + 1_000, 5, 1_000)).containsExactly(other);
    }

    @Test
    void getTriggerState_everyState_asQuartzReportsIt() throws Exception {
        JobDetail job = job("nc", "g", TestJobs.NonConcurrentJob.class);
        long start = now() + 200;
        store.storeJob(job, false);
        store.storeTrigger(trigger("t1", "g", job, start), false);
        store.storeTrigger(trigger("t2", "g", job, start + 100), false);
        TriggerKey t1 = new TriggerKey("t1", "g");
        TriggerKey t2 = new TriggerKey("t2", "g");
        assertThat(store.getTriggerState(new TriggerKey("absent", "g"))).isEqualTo(TriggerState.NONE);

        List<OperableTrigger> acquired = store.acquireNextTriggers(start + 1_000, 1, 0);
        assertThat(acquired).extracting(Trigger::getKey).containsExactly(t1);
        assertThat(store.getTriggerState(t1)).as("acquired reads as normal").isEqualTo(TriggerState.NORMAL);
        TriggerFiredBundle running = store.triggersFired(acquired).get(0).getTriggerFiredBundle();
        assertThat(store.getTriggerState(t2)).isEqualTo(TriggerState.BLOCKED);

        store.pauseTrigger(t2);
        assertThat(store.getTriggerState(t2))
                .as("paused while blocked reads as paused")
                .isEqualTo(TriggerState.PAUSED);
        store.resumeTrigger(t2);
        assertThat(store.getTriggerState(t2))
                .as("resumed while the job still runs")
                .isEqualTo(TriggerState.BLOCKED);

        store.triggeredJobComplete(
                running.getTrigger(), running.getJobDetail(), CompletedExecutionInstruction.SET_TRIGGER_ERROR);
        assertThat(store.getTriggerState(t1)).isEqualTo(TriggerState.ERROR);
        assertThat(store.getTriggerState(t2)).isEqualTo(TriggerState.NORMAL);
        assertThat(acquire(start + 1_000, 5, 1_000))
                .as("a trigger in error is not acquired")
                .containsExactly(t2);
    }

    @Test
    void resumeTrigger_appliesItsMisfireInstruction_andTellsListeners() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJob(job, false);
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("paused"));
        long longAgo = now() - 10 * MISFIRE_THRESHOLD;
        store.storeTrigger(
                trigger(
                        "t",
                        "paused",
                        job,
                        longAgo,
                        simpleSchedule()
                                .withIntervalInHours(1)
                                .repeatForever()
                                .withMisfireHandlingInstructionNextWithRemainingCount()),
                false);
        TriggerKey key = new TriggerKey("t", "paused");
        assertThat(store.getTriggerState(key)).isEqualTo(TriggerState.PAUSED);

        store.resumeTrigger(key);

        assertThat(signaler.misfired).containsExactly(key);
        assertThat(store.getTriggerState(key)).isEqualTo(TriggerState.NORMAL);
        assertThat(store.retrieveTrigger(key).getNextFireTime().getTime()).isGreaterThan(now());
        assertThat(acquire(now() + 1_000, 5, 0))
                .as("moved to its next hour, not fired late")
                .isEmpty();
    }

    @Test
    void persistJobDataAfterExecution_keepsChangedData() throws Exception {
        JobDetail job = JobBuilder.newJob(TestJobs.StatefulJob.class)
                .withIdentity("stateful", "g")
                .storeDurably()
                .usingJobData("count", 1)
                .build();
        long start = now() + 200;
        store.storeJobAndTrigger(job, trigger("t", "g", job, start));

        TriggerFiredBundle bundle = fireOne(start + 1_000);
        bundle.getJobDetail().getJobDataMap().put("count", 2);
        store.triggeredJobComplete(bundle.getTrigger(), bundle.getJobDetail(), CompletedExecutionInstruction.NOOP);

        assertThat(store.retrieveJob(job.getKey()).getJobDataMap().getInt("count"))
                .isEqualTo(2);
    }

    @Test
    void clearAllSchedulingData_leavesAnEmptyStore_andLikeJobStoreSupport_noPausedGroups() throws Exception {
        JobDetail job = job("j", "g");
        store.storeJobAndTrigger(job, trigger("t", "g", job, now() + HOUR));
        store.storeCalendar("c", new HolidayCalendar(), false, false);
        store.pauseTriggers(GroupMatcher.triggerGroupEquals("p"));
        store.pauseJobs(GroupMatcher.jobGroupEquals("pj"));

        store.clearAllSchedulingData();

        assertThat(store.getNumberOfJobs()).isZero();
        assertThat(store.getNumberOfTriggers()).isZero();
        assertThat(store.getNumberOfCalendars()).isZero();
        assertThat(store.getJobGroupNames()).isEmpty();
        assertThat(store.getTriggerGroupNames()).isEmpty();
        assertThat(store.getCalendarNames()).isEmpty();
        JobDetail later = job("later", "pj");
        store.storeJobAndTrigger(later, trigger("t", "p", later, now() + HOUR));
        if (likeJobStoreSupport()) {
            // JobStoreSupport deletes the paused groups with the rest (ours also its paused job groups)
            assertThat(store.getPausedTriggerGroups()).isEmpty();
            assertThat(state("t", "p")).isEqualTo(TriggerState.NORMAL);
        } else {
            // RAMJobStore keeps them
            assertThat(store.getPausedTriggerGroups()).containsExactly("p");
            assertThat(state("t", "p")).isEqualTo(TriggerState.PAUSED);
        }
    }
}
