package io.sandboxbroker.jobs.store;

import io.sandboxbroker.jobs.store.cluster.CheckIn;
import io.sandboxbroker.jobs.store.cluster.ClusterNode;
import io.sandboxbroker.jobs.store.cluster.ClusterNodes;
import io.sandboxbroker.jobs.store.cluster.Recovery;
import io.sandboxbroker.jobs.store.firing.Acquisition;
import io.sandboxbroker.jobs.store.firing.Blocking;
import io.sandboxbroker.jobs.store.firing.Completion;
import io.sandboxbroker.jobs.store.firing.Fencing;
import io.sandboxbroker.jobs.store.firing.Firing;
import io.sandboxbroker.jobs.store.firing.Holdings;
import io.sandboxbroker.jobs.store.firing.Misfires;
import io.sandboxbroker.jobs.store.firing.Release;
import io.sandboxbroker.jobs.store.firing.RetriedCompletion;
import io.sandboxbroker.jobs.store.firing.TriggerRemoval;
import io.sandboxbroker.jobs.store.scheduling.Calendars;
import io.sandboxbroker.jobs.store.scheduling.Clearing;
import io.sandboxbroker.jobs.store.scheduling.Pausing;
import io.sandboxbroker.jobs.store.scheduling.Storing;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.QuartzItems;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.quartz.Calendar;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.SchedulerConfigException;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.Trigger.TriggerState;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.JobStore;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A clustered Quartz {@link JobStore} on one DynamoDB table, with no global lock: every state change
 * is a write conditional on the version the writer read. This class is the façade and only delegates: items live in
 * {@code store.table}; storing, pausing, calendars and clearing in {@code store.scheduling}; acquiring, firing,
 * completing and fencing in {@code store.firing}; check-in and recovery in {@code store.cluster}.
 */
public final class DynamoJobStore implements JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoJobStore.class);

    private final DynamoDbClient client;
    private final DynamoJobStoreConfig config;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private String instanceId = "NON_CLUSTERED";
    private String instanceName = "QuartzScheduler";
    private QuartzItems items;
    private SchedulerSignaler signaler;
    private Acquisition acquisition;
    private Firing firing;
    private RetriedCompletion completion;
    private TriggerRemoval removal;
    private Calendars calendars;
    private Pausing pausing;
    private Storing storing;
    private Clearing clearing;
    private volatile CheckIn checkIn;
    private Holdings holdings;
    private Fencing fencing;

    public DynamoJobStore(DynamoDbClient client, DynamoJobStoreConfig config) {
        this(client, config, Clock.systemUTC());
    }

    /**
     * {@code clock} gives wall-clock time (misfires, check-in times shown to people); liveness of other nodes is
     * judged on this process's monotonic clock. The store never closes {@code client}: its owner closes it after
     * the scheduler has shut down (see {@code ManagedScheduler}).
     */
    public DynamoJobStore(DynamoDbClient client, DynamoJobStoreConfig config, Clock clock) {
        this(client, config, clock, System::nanoTime);
    }

    DynamoJobStore(DynamoDbClient client, DynamoJobStoreConfig config, Clock clock, LongSupplier nanoTime) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    public DynamoJobStoreConfig config() {
        return config;
    }

    public String instanceId() {
        return instanceId;
    }

    /** When this instance last checked in; empty until the scheduler started. */
    public Optional<Instant> lastCheckin() {
        return checkIn == null ? Optional.empty() : checkIn.lastCheckin();
    }

    /** How often this node found, at a check-in, that others had judged it dead and recovered it while it ran. */
    public long recoveredWhileAlive() {
        CheckIn watching = checkIn;
        return watching == null ? 0 : watching.generation();
    }

    /** The cluster's nodes and their last check-ins; {@code alive} as this node's heartbeat watch sees it, if it runs. */
    public List<ClusterNode> nodes() {
        CheckIn watching = checkIn;
        return new ClusterNodes(
                        new NodeItems(new Table(client, config.tableName())),
                        clock,
                        node -> watching == null ? Optional.empty() : watching.watchedAlive(node))
                .nodes();
    }

    /**
     * Fencing for a running job: whether the firing {@code fireInstanceId} of {@code job} still holds what it runs
     * under. False once this node was judged dead and recovered by another (its holdings were given away), once the
     * non-concurrency lock of the job is no longer this firing's, or once the fired record of a recovery-requesting
     * job is gone (another node re-runs it). Reads the table consistently; call it before each external side effect
     * that must not happen twice at once. See {@code io.sandboxbroker.jobs.JobFence} for the job-side API.
     */
    public boolean stillHolds(String fireInstanceId, JobDetail job) {
        return fencing.stillHolds(fireInstanceId, job);
    }

    // --- lifecycle ---------------------------------------------------------------------------------

    @Override
    public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler schedulerSignaler)
            throws SchedulerConfigException {
        if (!QuartzTable.exists(client, config.tableName())) {
            throw new SchedulerConfigException(
                    "Quartz table " + config.tableName() + " does not exist or is not ACTIVE");
        }
        this.signaler = schedulerSignaler;
        this.items = QuartzItems.over(new Table(client, config.tableName()), loadHelper, config.shards());
        this.holdings = new Holdings(() -> checkIn == null ? 0 : checkIn.generation());
        this.fencing = new Fencing(
                holdings, items, () -> checkIn == null ? Fencing.NOT_STARTED : checkIn.generation(), instanceId);
        Blocking blocking = new Blocking(items.triggers(), items.jobs());
        Misfires misfires = new Misfires(
                items.triggers(),
                items.calendars(),
                signaler,
                clock,
                config.misfireThreshold().toMillis());
        this.acquisition = new Acquisition(items.table(), items.triggers(), misfires, holdings, clock, instanceId);
        this.firing = new Firing(
                items.triggers(),
                items.jobs(),
                items.calendars(),
                items.fired(),
                blocking,
                holdings,
                clock,
                instanceId);
        this.removal = new TriggerRemoval(items.triggers(), items.jobs(), signaler);
        this.completion = new RetriedCompletion(
                new Completion(items.triggers(), items.jobs(), items.fired(), blocking, signaler, removal, holdings),
                holdings);
        this.pausing = new Pausing(items.triggers(), items.jobs(), items.pausedGroups(), misfires, blocking);
        this.storing = new Storing(items.triggers(), items.jobs(), pausing, blocking);
        this.clearing = new Clearing(items.table());
        this.calendars = new Calendars(
                items.calendars(), items.triggers(), config.misfireThreshold().toMillis());
        Recovery recovery = new Recovery(items, blocking, signaler, storing);
        Release release = new Release(items.triggers(), items.jobs(), items.fired(), blocking, holdings);
        this.checkIn = new CheckIn(
                items.nodes(),
                recovery,
                holdings,
                release,
                clock,
                nanoTime,
                instanceId,
                config.checkinInterval(),
                config.failureMultiple());
    }

    @Override
    public void schedulerStarted() throws SchedulerException {
        checkIn.start();
        LOG.info(
                "action=jobstore_started instance={} table={} shards={}",
                instanceId,
                config.tableName(),
                config.shards());
    }

    @Override
    public void schedulerPaused() {
        // acquisition stops with the scheduler thread; check-ins go on so the node is not recovered
    }

    @Override
    public void schedulerResumed() {
        // nothing to do, see schedulerPaused
    }

    /**
     * Called by Quartz once the scheduler stopped and (with {@code shutdown(true)}) its jobs finished: stops
     * checking in and checks out from what this node knows it holds; the node record goes only if nothing is held.
     */
    @Override
    public void shutdown() {
        if (checkIn != null) {
            checkIn.stop();
        }
    }

    @Override
    public boolean supportsPersistence() {
        return true;
    }

    @Override
    public long getEstimatedTimeToReleaseAndAcquireTrigger() {
        return 70;
    }

    @Override
    public boolean isClustered() {
        return true;
    }

    @Override
    public void setInstanceId(String schedInstId) {
        this.instanceId = schedInstId;
    }

    @Override
    public void setInstanceName(String schedName) {
        this.instanceName = schedName;
    }

    public String instanceName() {
        return instanceName;
    }

    @Override
    public void setThreadPoolSize(int poolSize) {
        // acquisition is bounded by the scheduler's own batch size
    }

    @Override
    public long getAcquireRetryDelay(int failureCount) {
        return Math.min(config.checkinInterval().toMillis(), 15_000L);
    }

    // --- jobs --------------------------------------------------------------------------------------

    @Override
    public void storeJobAndTrigger(JobDetail newJob, OperableTrigger newTrigger) throws JobPersistenceException {
        storing.storeJob(newJob, false);
        storing.storeTrigger(newTrigger, false);
    }

    @Override
    public void storeJob(JobDetail newJob, boolean replaceExisting) throws JobPersistenceException {
        storing.storeJob(newJob, replaceExisting);
    }

    @Override
    public void storeJobsAndTriggers(Map<JobDetail, Set<? extends Trigger>> triggersAndJobs, boolean replace)
            throws JobPersistenceException {
        storing.storeJobsAndTriggers(triggersAndJobs, replace);
    }

    @Override
    public boolean removeJob(JobKey jobKey) throws JobPersistenceException {
        return storing.removeJob(jobKey);
    }

    @Override
    public boolean removeJobs(List<JobKey> jobKeys) throws JobPersistenceException {
        boolean all = true;
        for (JobKey key : jobKeys) {
            all &= removeJob(key);
        }
        return all;
    }

    @Override
    public JobDetail retrieveJob(JobKey jobKey) throws JobPersistenceException {
        return items.jobs().get(jobKey).map(StoredJob::detail).orElse(null);
    }

    @Override
    public List<JobDetail> getJobDetails(GroupMatcher<JobKey> matcher) throws JobPersistenceException {
        return items.jobs().all(matcher);
    }

    @Override
    public boolean checkExists(JobKey jobKey) {
        return items.jobs().exists(jobKey);
    }

    @Override
    public int getNumberOfJobs() {
        return items.jobs().count();
    }

    @Override
    public Set<JobKey> getJobKeys(GroupMatcher<JobKey> matcher) {
        return new LinkedHashSet<>(items.jobs().keys(matcher));
    }

    @Override
    public List<String> getJobGroupNames() {
        return items.jobs().groups();
    }

    // --- triggers ----------------------------------------------------------------------------------

    @Override
    public void storeTrigger(OperableTrigger newTrigger, boolean replaceExisting) throws JobPersistenceException {
        storing.storeTrigger(newTrigger, replaceExisting);
    }

    @Override
    public boolean removeTrigger(TriggerKey triggerKey) throws JobPersistenceException {
        return removal.remove(triggerKey);
    }

    @Override
    public boolean removeTriggers(List<TriggerKey> triggerKeys) throws JobPersistenceException {
        boolean all = true;
        for (TriggerKey key : triggerKeys) {
            all &= removeTrigger(key);
        }
        return all;
    }

    @Override
    public boolean replaceTrigger(TriggerKey triggerKey, OperableTrigger newTrigger) throws JobPersistenceException {
        return storing.replaceTrigger(triggerKey, newTrigger);
    }

    @Override
    public OperableTrigger retrieveTrigger(TriggerKey triggerKey) throws JobPersistenceException {
        return items.triggers().get(triggerKey).map(StoredTrigger::trigger).orElse(null);
    }

    @Override
    public boolean checkExists(TriggerKey triggerKey) {
        return items.triggers().exists(triggerKey);
    }

    @Override
    public int getNumberOfTriggers() {
        return items.triggers().count();
    }

    @Override
    public Set<TriggerKey> getTriggerKeys(GroupMatcher<TriggerKey> matcher) {
        return new LinkedHashSet<>(items.triggers().keys(matcher));
    }

    @Override
    public List<String> getTriggerGroupNames() {
        return items.triggers().groups();
    }

    @Override
    public List<OperableTrigger> getTriggersForJob(JobKey jobKey) throws JobPersistenceException {
        return items.triggers().forJob(jobKey).stream()
                .map(StoredTrigger::trigger)
                .toList();
    }

    @Override
    public List<OperableTrigger> getTriggersByJobAndTriggerGroup(
            GroupMatcher<JobKey> jobMatcher, GroupMatcher<TriggerKey> triggerMatcher) throws JobPersistenceException {
        return items.triggers().all(triggerMatcher).stream()
                .map(StoredTrigger::trigger)
                .filter(trigger -> jobMatcher.isMatch(trigger.getJobKey()))
                .toList();
    }

    @Override
    public TriggerState getTriggerState(TriggerKey triggerKey) throws JobPersistenceException {
        return items.triggers()
                .get(triggerKey)
                .map(t -> t.state().quartzState())
                .orElse(TriggerState.NONE);
    }

    @Override
    public void resetTriggerFromErrorState(TriggerKey triggerKey) throws JobPersistenceException {
        pausing.resetFromError(triggerKey);
    }

    @Override
    public void clearAllSchedulingData() throws JobPersistenceException {
        int deleted = clearing.clearAll();
        LOG.info("action=clear_all_scheduling_data instance={} items={}", instanceId, deleted);
    }

    // --- calendars ---------------------------------------------------------------------------------

    @Override
    public void storeCalendar(String name, Calendar calendar, boolean replaceExisting, boolean updateTriggers)
            throws JobPersistenceException {
        calendars.store(name, calendar, replaceExisting, updateTriggers);
    }

    @Override
    public boolean removeCalendar(String calName) throws JobPersistenceException {
        return calendars.remove(calName);
    }

    @Override
    public Calendar retrieveCalendar(String calName) throws JobPersistenceException {
        return items.calendars().get(calName).orElse(null);
    }

    @Override
    public int getNumberOfCalendars() {
        return items.calendars().count();
    }

    @Override
    public List<String> getCalendarNames() {
        return items.calendars().names();
    }

    // --- pause and resume --------------------------------------------------------------------------

    @Override
    public void pauseTrigger(TriggerKey triggerKey) throws JobPersistenceException {
        pausing.pauseTrigger(triggerKey);
    }

    @Override
    public Collection<String> pauseTriggers(GroupMatcher<TriggerKey> matcher) throws JobPersistenceException {
        return pausing.pauseTriggers(matcher);
    }

    @Override
    public void pauseJob(JobKey jobKey) throws JobPersistenceException {
        pausing.pauseJob(jobKey);
    }

    @Override
    public Collection<String> pauseJobs(GroupMatcher<JobKey> groupMatcher) throws JobPersistenceException {
        return pausing.pauseJobs(groupMatcher);
    }

    @Override
    public void resumeTrigger(TriggerKey triggerKey) throws JobPersistenceException {
        pausing.resumeTrigger(triggerKey);
    }

    @Override
    public Collection<String> resumeTriggers(GroupMatcher<TriggerKey> matcher) throws JobPersistenceException {
        return pausing.resumeTriggers(matcher);
    }

    @Override
    public Set<String> getPausedTriggerGroups() {
        return pausing.pausedTriggerGroups();
    }

    @Override
    public void resumeJob(JobKey jobKey) throws JobPersistenceException {
        pausing.resumeJob(jobKey);
    }

    @Override
    public Collection<String> resumeJobs(GroupMatcher<JobKey> matcher) throws JobPersistenceException {
        return pausing.resumeJobs(matcher);
    }

    @Override
    public void pauseAll() throws JobPersistenceException {
        pausing.pauseAll();
    }

    @Override
    public void resumeAll() throws JobPersistenceException {
        pausing.resumeAll();
    }

    // --- firing ------------------------------------------------------------------------------------

    @Override
    public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
            throws JobPersistenceException {
        return acquisition.acquire(noLaterThan, maxCount, timeWindow);
    }

    @Override
    public void releaseAcquiredTrigger(OperableTrigger trigger) {
        try {
            acquisition.release(trigger);
        } catch (JobPersistenceException | RuntimeException e) {
            // recovery of this instance (or a later release) puts it back; nothing is lost
            LOG.warn("action=release outcome=failed trigger={}", trigger.getKey(), e);
        }
    }

    @Override
    public List<TriggerFiredResult> triggersFired(List<OperableTrigger> triggers) {
        return firing.fire(triggers);
    }

    /** Retried: see {@code RetriedCompletion}. */
    @Override
    public void triggeredJobComplete(
            OperableTrigger trigger, JobDetail jobDetail, CompletedExecutionInstruction instruction) {
        completion.complete(trigger, jobDetail, instruction);
    }
}
