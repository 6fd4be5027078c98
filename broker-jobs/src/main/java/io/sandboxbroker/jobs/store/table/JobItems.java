package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.bool;
import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.quartz.impl.JobDetailImpl;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.ClassLoadHelper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Job items ({@code JOB#group#name}): the job's fields as attributes, its JobDataMap serialized, the pks of
 * its triggers ({@code trigs}, a superset: see {@link Attr#TRIGGERS}), and for a running non-concurrent job the lock
 * ({@code runBy}, {@code owner}).
 */
public final class JobItems {
    /** Stores a job's definition without touching a lock a running firing holds on it. */
    private static final String STORE = "SET "
            + String.join(
                    ", ",
                    Attr.TYPE + " = :type",
                    Attr.SK + " = :sk",
                    Attr.GROUP + " = :g",
                    Attr.NAME + " = :n",
                    Attr.JOB_CLASS + " = :cls",
                    Attr.DURABLE + " = :durable",
                    Attr.NON_CONCURRENT + " = :nc",
                    Attr.RECOVERY + " = :rec",
                    Attr.BLOB + " = :blob",
                    Attr.VERSION + " = :ver");

    private static final String LOCK = "SET " + Attr.RUNNING + " = :f, " + Attr.OWNER + " = :o";
    private static final String UNLOCK = "REMOVE " + Attr.RUNNING + ", " + Attr.OWNER;
    /** A new version too, so a removal decided on the old one (non-durable job, last trigger gone) fails. */
    private static final String REGISTER = "ADD " + Attr.TRIGGERS + " :t SET " + Attr.VERSION + " = :ver";
    /** The job exists and its trigger list is below its cap (the least cap, or the one the last pruning set). */
    private static final String ROOM_TO_REGISTER = Conditions.PRESENT + " AND (attribute_not_exists(" + Attr.TRIGGERS
            + ") OR size(" + Attr.TRIGGERS + ") < :cap OR size(" + Attr.TRIGGERS + ") < " + Attr.TRIGGER_CAP + ")";
    /** Only on the version read: a registration since then may have re-added a trigger that looked gone. */
    private static final String PRUNE_IF_VERSION = Conditions.PRESENT + " AND " + Conditions.VERSION_IS;
    /**
     * The trigger list may grow this long before it is pruned of triggers that left the job; after pruning, the cap is
     * twice the triggers still there, so pruning costs O(1) reads per registration however many triggers a job has.
     */
    static final int LEAST_TRIGGER_CAP = 64;

    private static final int REGISTER_ATTEMPTS = 3;

    private static final List<String> WITHOUT_TRIGGER_LIST = List.of(
            Attr.PK,
            Attr.GROUP,
            Attr.NAME,
            Attr.DESCRIPTION,
            Attr.JOB_CLASS,
            Attr.DURABLE,
            Attr.RECOVERY,
            Attr.BLOB,
            Attr.RUNNING,
            Attr.OWNER,
            Attr.VERSION);

    private static final String UNREGISTER = "DELETE " + Attr.TRIGGERS + " :t";

    /** A job as stored, with the firing that holds its non-concurrency lock, if any, its version and its triggers' pks. */
    public record StoredJob(
            JobDetail detail, String runningFireId, String owner, String version, Set<String> triggerPks) {
        public boolean running() {
            return runningFireId != null;
        }
    }

    private final Table table;
    private final Blobs blobs;
    private final ClassLoadHelper classes;

    public JobItems(Table table, Blobs blobs, ClassLoadHelper classes) {
        this.table = table;
        this.blobs = blobs;
        this.classes = classes;
    }

    /** Stores the job; false when it exists and {@code replace} is false. */
    public boolean store(JobDetail job, boolean replace) throws JobPersistenceException {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":type", s(Keys.JOB));
        values.put(":sk", s(Keys.sortKey(job.getKey().getGroup(), job.getKey().getName())));
        values.put(":g", s(job.getKey().getGroup()));
        values.put(":n", s(job.getKey().getName()));
        values.put(":cls", s(job.getJobClass().getName()));
        values.put(":durable", bool(job.isDurable()));
        values.put(":nc", bool(job.isConcurrentExecutionDisallowed()));
        values.put(":rec", bool(job.requestsRecovery()));
        values.put(":blob", AttributeValue.fromB(blobs.write(dataOf(job))));
        String version = Table.newVersion();
        values.put(":ver", s(version));
        String update = STORE;
        if (job.getDescription() != null) {
            update += ", " + Attr.DESCRIPTION + " = :desc";
            values.put(":desc", s(job.getDescription()));
        } else {
            update += " REMOVE " + Attr.DESCRIPTION;
        }
        return table.update(
                Keys.job(job.getKey()),
                update,
                replace ? null : Conditions.ABSENT,
                values,
                OwnWrite.wrote(Attr.VERSION, version));
    }

    public Optional<StoredJob> get(JobKey key) throws JobPersistenceException {
        Optional<Map<String, AttributeValue>> item = table.get(Keys.job(key));
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item.get()));
    }

    /**
     * Many jobs in one consistent batch read (absent ones are left out), without their trigger lists: a firing needs
     * the job, not the list, which may be long. {@link StoredJob#triggerPks()} is empty in what this returns.
     */
    public Map<JobKey, StoredJob> getAll(Collection<JobKey> keys) throws JobPersistenceException {
        Map<JobKey, StoredJob> found = new HashMap<>();
        for (Map<String, AttributeValue> item :
                table.getAll(keys.stream().map(Keys::job).toList(), WITHOUT_TRIGGER_LIST)) {
            StoredJob job = fromItem(item);
            found.put(job.detail().getKey(), job);
        }
        return found;
    }

    public boolean exists(JobKey key) {
        return table.get(Keys.job(key)).isPresent();
    }

    public boolean delete(JobKey key) {
        return table.delete(Keys.job(key)).isPresent();
    }

    /** Deletes the job if nothing (a trigger registering, a re-store) wrote it since it was read at {@code version}. */
    public boolean deleteIfVersion(JobKey key, String version) {
        return table.delete(Keys.job(key), Conditions.VERSION_IS, Map.of(":v", s(version)), OwnWrite.GONE);
    }

    /**
     * Notes a trigger on its job; false when the job does not exist. Repeating it is harmless (a set). A list that
     * reached its cap is first pruned of the triggers that left the job.
     */
    public boolean register(JobKey job, TriggerKey trigger) {
        String pk = Keys.job(job);
        Map<String, AttributeValue> values =
                Map.of(":t", AttributeValue.fromSs(List.of(Keys.trigger(trigger))), ":ver", s(Table.newVersion()));
        Map<String, AttributeValue> withCap = new HashMap<>(values);
        withCap.put(":cap", Table.n(LEAST_TRIGGER_CAP));
        for (int attempt = 0; attempt < REGISTER_ATTEMPTS; attempt++) {
            if (table.update(pk, REGISTER, ROOM_TO_REGISTER, withCap)) {
                return true;
            }
            Optional<Map<String, AttributeValue>> item = table.get(pk);
            if (item.isEmpty()) {
                return false;
            }
            prune(pk, item.get());
        }
        // registrations kept racing with the pruning: this one goes over the cap, a later one prunes
        return table.update(pk, REGISTER, Conditions.PRESENT, values);
    }

    /**
     * Takes off the job's list every trigger that is gone or now belongs to another job (a key can be re-stored for
     * another job), reading each listed trigger's job on the base table; sets the cap to twice the triggers left.
     */
    private void prune(String pk, Map<String, AttributeValue> job) {
        AttributeValue listedValue = job.get(Attr.TRIGGERS);
        Set<String> listed = listedValue == null || !listedValue.hasSs() ? Set.of() : Set.copyOf(listedValue.ss());
        Set<String> stale = new TreeSet<>(listed);
        for (Map<String, AttributeValue> trigger : table.getAll(listed, List.of(Attr.PK, Attr.JOB_KEY))) {
            if (pk.equals(Table.str(trigger, Attr.JOB_KEY))) {
                stale.remove(Table.str(trigger, Attr.PK));
            }
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":v", s(java.util.Objects.requireNonNullElse(Table.str(job, Attr.VERSION), "-")));
        values.put(":newCap", Table.n(Math.max(LEAST_TRIGGER_CAP, 2L * (listed.size() - stale.size()))));
        String update = "SET " + Attr.TRIGGER_CAP + " = :newCap";
        if (!stale.isEmpty()) {
            update += " DELETE " + Attr.TRIGGERS + " :stale";
            values.put(":stale", AttributeValue.fromSs(List.copyOf(stale)));
        }
        // a failed condition: someone registered meanwhile; the caller reads the job again
        table.update(pk, update, PRUNE_IF_VERSION, values);
    }

    /** Takes a removed trigger off its job and returns the job as that write left it (one call), or empty if gone. */
    public Optional<StoredJob> unregisterAndGet(JobKey job, TriggerKey trigger) throws JobPersistenceException {
        Optional<Map<String, AttributeValue>> item = table.updateExisting(
                Keys.job(job), UNREGISTER, Map.of(":t", AttributeValue.fromSs(List.of(Keys.trigger(trigger)))));
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item.get()));
    }

    public void unregister(JobKey job, TriggerKey trigger) {
        table.update(
                Keys.job(job),
                UNREGISTER,
                Conditions.PRESENT,
                Map.of(":t", AttributeValue.fromSs(List.of(Keys.trigger(trigger)))));
    }

    public void updateData(JobKey key, JobDataMap data) throws JobPersistenceException {
        table.update(
                Keys.job(key),
                "SET " + Attr.BLOB + " = :b",
                Conditions.PRESENT,
                Map.of(":b", AttributeValue.fromB(blobs.write(data))));
    }

    /** Takes the non-concurrency lock for the firing {@code fireId}; false when another firing holds it. */
    public boolean lock(JobKey key, String fireId, String instanceId) {
        return table.update(
                Keys.job(key),
                LOCK,
                Conditions.JOB_NOT_RUNNING,
                Map.of(":f", s(fireId), ":o", s(instanceId)),
                OwnWrite.wrote(Attr.RUNNING, fireId));
    }

    public boolean unlock(JobKey key, String fireId) {
        return table.update(
                Keys.job(key),
                UNLOCK,
                Conditions.JOB_RUN_BY,
                Map.of(":f", s(fireId)),
                OwnWrite.cleared(Attr.RUNNING, fireId));
    }

    public boolean unlockOwnedBy(JobKey key, String instanceId) {
        return table.update(
                Keys.job(key),
                UNLOCK,
                Conditions.JOB_OWNED_BY,
                Map.of(":o", s(instanceId)),
                OwnWrite.cleared(Attr.OWNER, instanceId));
    }

    public List<JobKey> keys(GroupMatcher<JobKey> matcher) {
        List<JobKey> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : itemsMatching(matcher)) {
            keys.add(keyOf(item));
        }
        return keys;
    }

    /** Keys of the jobs the matcher selects, from the base table (a consistent scan, not the index): for decisions. */
    public List<JobKey> scanKeys(GroupMatcher<JobKey> matcher) {
        return table.scan(Keys.JOB + "#").stream()
                .map(JobItems::keyOf)
                .filter(matcher::isMatch)
                .toList();
    }

    public List<JobDetail> all(GroupMatcher<JobKey> matcher) throws JobPersistenceException {
        List<JobDetail> jobs = new ArrayList<>();
        for (Map<String, AttributeValue> item : itemsMatching(matcher)) {
            jobs.add(fromItem(item).detail());
        }
        return jobs;
    }

    public List<String> groups() {
        TreeSet<String> groups = new TreeSet<>();
        for (Map<String, AttributeValue> item :
                table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.JOB, null, null)) {
            groups.add(Table.str(item, Attr.GROUP));
        }
        return new ArrayList<>(groups);
    }

    public int count() {
        return table.countIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.JOB);
    }

    private List<Map<String, AttributeValue>> itemsMatching(GroupMatcher<JobKey> matcher) {
        String prefix = switch (matcher.getCompareWithOperator()) {
            case EQUALS -> Keys.groupPrefix(matcher.getCompareToValue());
            case STARTS_WITH -> Keys.encode(matcher.getCompareToValue());
            default -> null;
        };
        return table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.JOB, Attr.SK, prefix).stream()
                .filter(item -> matcher.isMatch(keyOf(item)))
                .toList();
    }

    static JobKey keyOf(Map<String, AttributeValue> item) {
        return new JobKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
    }

    @SuppressWarnings("unchecked")
    public StoredJob fromItem(Map<String, AttributeValue> item) throws JobPersistenceException {
        JobDetailImpl job = new JobDetailImpl();
        job.setKey(keyOf(item));
        job.setDescription(Table.str(item, Attr.DESCRIPTION));
        try {
            job.setJobClass((Class<? extends Job>) classes.loadClass(Table.str(item, Attr.JOB_CLASS), Job.class));
        } catch (ClassNotFoundException e) {
            throw new JobPersistenceException("job class not found: " + Table.str(item, Attr.JOB_CLASS), e);
        }
        job.setDurability(Table.flag(item, Attr.DURABLE));
        job.setRequestsRecovery(Table.flag(item, Attr.RECOVERY));
        AttributeValue blob = item.get(Attr.BLOB);
        job.setJobDataMap(blob == null ? new JobDataMap() : blobs.read(blob.b(), JobDataMap.class));
        AttributeValue triggers = item.get(Attr.TRIGGERS);
        return new StoredJob(
                job,
                Table.str(item, Attr.RUNNING),
                Table.str(item, Attr.OWNER),
                Table.str(item, Attr.VERSION),
                triggers == null || !triggers.hasSs() ? Set.of() : Set.copyOf(triggers.ss()));
    }

    private static JobDataMap dataOf(JobDetail job) {
        return job.getJobDataMap() == null ? new JobDataMap() : job.getJobDataMap();
    }
}
