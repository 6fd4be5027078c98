package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.bool;
import static io.sandboxbroker.jobs.store.table.Table.n;
import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.OperableTrigger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Trigger items ({@code TRG#group#name}): the serialized trigger plus the queryable fields. A waiting
 * trigger carries {@code dueShard = WAITING#<hash(key) mod shards>} so the due index has no hot partition.
 */
public final class TriggerItems {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TriggerItems.class);
    private static final int MAX_ATTEMPTS = 20;

    /** A change to apply to a stored trigger; returns null to leave it as it is. */
    @FunctionalInterface
    public interface Change {
        StoredTrigger apply(StoredTrigger current) throws JobPersistenceException;
    }

    private final Table table;
    private final Blobs blobs;
    private final int shards;
    private volatile LongConsumer waitingWritten = nextFire -> {};

    public TriggerItems(Table table, Blobs blobs, int shards) {
        this.table = table;
        this.blobs = blobs;
        this.shards = shards;
    }

    /** Told the next fire time of every trigger this process writes as WAITING (acquisition keeps due candidates). */
    public void onWaitingWritten(LongConsumer listener) {
        this.waitingWritten = listener;
    }

    private boolean written(StoredTrigger stored, boolean applied) {
        return written(stored, applied, false);
    }

    /**
     * {@code onlyLater}: the write moved a waiting trigger to a later time (a firing's advance, a misfire), which no
     * node can have skipped past; anything else waiting may now be due earlier than other nodes last saw, so they
     * are woken (see {@code IdleShards}).
     */
    private boolean written(StoredTrigger stored, boolean applied, boolean onlyLater) {
        if (applied
                && stored.state() == TriggerStatus.WAITING
                && stored.trigger().getNextFireTime() != null) {
            if (!onlyLater) {
                wakeOthers();
            }
            waitingWritten.accept(stored.trigger().getNextFireTime().getTime());
        }
        return applied;
    }

    private void wakeOthers() {
        try {
            table.bumpWake();
        } catch (RuntimeException e) {
            // the trigger is written; other nodes find it at their next full query, at most IdleShards.QUIET_AT_MOST on
            LOG.warn("action=wake outcome=failed", e);
        }
    }

    public int shards() {
        return shards;
    }

    public static String shard(int index) {
        return "WAITING#" + index;
    }

    public String shardOf(TriggerKey key) {
        return shard(Math.floorMod(Keys.trigger(key).hashCode(), shards));
    }

    public Map<String, AttributeValue> toItem(StoredTrigger stored) throws JobPersistenceException {
        OperableTrigger trigger = stored.trigger();
        TriggerKey key = trigger.getKey();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Attr.PK, s(Keys.trigger(key)));
        item.put(Attr.TYPE, s(Keys.TRIGGER));
        item.put(Attr.SK, s(Keys.sortKey(key.getGroup(), key.getName())));
        item.put(Attr.GROUP, s(key.getGroup()));
        item.put(Attr.NAME, s(key.getName()));
        item.put(Attr.JOB_KEY, s(Keys.job(trigger.getJobKey())));
        item.put(Attr.STATE, s(stored.state().name()));
        item.put(Attr.PRIORITY, n(trigger.getPriority()));
        item.put(Attr.NON_CONCURRENT, bool(stored.nonConcurrent()));
        item.put(Attr.VERSION, s(stored.version()));
        item.put(Attr.BLOB, AttributeValue.fromB(blobs.write(trigger)));
        if (trigger.getNextFireTime() != null) {
            item.put(Attr.NEXT_FIRE, n(trigger.getNextFireTime().getTime()));
            if (stored.state() == TriggerStatus.WAITING) {
                item.put(Attr.DUE_SHARD, s(shardOf(key)));
            }
        }
        if (trigger.getCalendarName() != null) {
            item.put(Attr.CALENDAR, s(trigger.getCalendarName()));
        }
        if (stored.owner() != null) {
            item.put(Attr.OWNER, s(stored.owner()));
        }
        if (stored.fireId() != null) {
            item.put(Attr.FIRE_ID, s(stored.fireId()));
        }
        if (stored.firedBy() != null) {
            item.put(Attr.FIRED_BY, s(stored.firedBy()));
        }
        return item;
    }

    public StoredTrigger fromItem(Map<String, AttributeValue> item) throws JobPersistenceException {
        OperableTrigger trigger = blobs.read(item.get(Attr.BLOB).b(), OperableTrigger.class);
        return new StoredTrigger(
                trigger,
                TriggerStatus.valueOf(Table.str(item, Attr.STATE)),
                Table.str(item, Attr.VERSION),
                Table.str(item, Attr.OWNER),
                Table.str(item, Attr.FIRE_ID),
                Table.flag(item, Attr.NON_CONCURRENT),
                Table.str(item, Attr.FIRED_BY));
    }

    public Optional<StoredTrigger> get(TriggerKey key) throws JobPersistenceException {
        Optional<Map<String, AttributeValue>> item = table.get(Keys.trigger(key));
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item.get()));
    }

    public boolean exists(TriggerKey key) {
        return table.get(Keys.trigger(key)).isPresent();
    }

    /** Creates; false if a trigger with this key exists. */
    public boolean create(StoredTrigger stored) throws JobPersistenceException {
        return written(stored, table.putIfVersion(toItem(stored), null));
    }

    public void put(StoredTrigger stored) throws JobPersistenceException {
        table.put(toItem(stored));
        written(stored, true);
    }

    /** Writes {@code next} if the item still carries {@code expectedVersion}. */
    public boolean replace(StoredTrigger next, String expectedVersion) throws JobPersistenceException {
        return written(next, table.putIfVersion(toItem(next), expectedVersion));
    }

    /**
     * As {@link #replace(StoredTrigger, String)}, for a write that others may change again before the SDK's retry
     * of it comes back: {@code own} recognises it by a token that outlives later versions (a fire id).
     */
    public boolean replace(StoredTrigger next, String expectedVersion, OwnWrite own) throws JobPersistenceException {
        return written(
                next,
                table.put(toItem(next), Conditions.VERSION_IS, Map.of(":v", Table.s(expectedVersion)), own),
                true);
    }

    /** As {@link #replace(StoredTrigger, String)} for a write that only moves a waiting trigger later (a misfire). */
    public boolean replaceLater(StoredTrigger next, String expectedVersion) throws JobPersistenceException {
        return written(next, table.putIfVersion(toItem(next), expectedVersion), true);
    }

    public Optional<StoredTrigger> delete(TriggerKey key) throws JobPersistenceException {
        Optional<Map<String, AttributeValue>> old = table.delete(Keys.trigger(key));
        return old.isEmpty() ? Optional.empty() : Optional.of(fromItem(old.get()));
    }

    /**
     * Deletes a trigger the firing {@code fireId} advanced to its end, in one call: only if that advance is still what
     * is stored (nobody rescheduled or re-stored it since). A retry that finds the item gone counts as done.
     */
    public boolean deleteFinished(TriggerKey key, String fireId) {
        return table.delete(
                Keys.trigger(key),
                Attr.FIRED_BY + " = :f AND attribute_not_exists(" + Attr.NEXT_FIRE + ")",
                Map.of(":f", Table.s(fireId)),
                OwnWrite.GONE);
    }

    /**
     * Reads, applies {@code change} and writes conditionally on the version read, retrying on a
     * concurrent write. Returns the written trigger, or empty if absent or left unchanged.
     */
    public Optional<StoredTrigger> mutate(TriggerKey key, Change change) throws JobPersistenceException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<StoredTrigger> current = get(key);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            StoredTrigger next = change.apply(current.get());
            if (next == null) {
                return Optional.empty();
            }
            if (replace(next, current.get().version())) {
                return Optional.of(next);
            }
        }
        throw new JobPersistenceException("trigger " + key + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Triggers of a job as they are now: the pks registered on the job item plus whatever the {@code byJob} index
     * shows (triggers stored before registration existed), all read consistently. A trigger created a moment ago
     * is registered before anyone needs to find it; one that left the job (the list is a superset) or whose key was
     * re-stored for another job is dropped by the read.
     */
    public List<StoredTrigger> forJob(JobKey job) throws JobPersistenceException {
        String jobPk = Keys.job(job);
        Set<String> pks = new LinkedHashSet<>();
        table.get(jobPk)
                .map(item -> item.get(Attr.TRIGGERS))
                .filter(AttributeValue::hasSs)
                .ifPresent(set -> pks.addAll(set.ss()));
        for (Map<String, AttributeValue> item :
                table.queryIndex(QuartzTable.JOB_INDEX, Attr.JOB_KEY, jobPk, null, null)) {
            pks.add(Table.str(item, Attr.PK));
        }
        List<StoredTrigger> triggers = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.getAll(pks)) {
            if (jobPk.equals(Table.str(item, Attr.JOB_KEY))) {
                triggers.add(fromItem(item));
            }
        }
        triggers.sort(
                java.util.Comparator.comparing(t -> Keys.trigger(t.trigger().getKey())));
        return triggers;
    }

    public List<TriggerKey> keys(GroupMatcher<TriggerKey> matcher) {
        return itemsMatching(matcher).stream().map(TriggerItems::keyOf).toList();
    }

    public List<StoredTrigger> all(GroupMatcher<TriggerKey> matcher) throws JobPersistenceException {
        List<StoredTrigger> triggers = new ArrayList<>();
        for (Map<String, AttributeValue> item : itemsMatching(matcher)) {
            triggers.add(fromItem(item));
        }
        return triggers;
    }

    /** A trigger's key and its job's. */
    public record Member(TriggerKey key, JobKey job) {}

    /** Every trigger and its job as the base table holds them now (a consistent scan, not the index): for decisions. */
    public List<Member> scanMembers() {
        return table.scan(Keys.TRIGGER + "#").stream()
                .map(item -> new Member(keyOf(item), Keys.jobKeyOf(Table.str(item, Attr.JOB_KEY))))
                .toList();
    }

    /** Keys of the triggers that name the calendar, from the base table (a consistent scan, not the index). */
    public List<TriggerKey> scanUsingCalendar(String calendarName) {
        return table.scan(Keys.TRIGGER + "#").stream()
                .filter(item -> calendarName.equals(Table.str(item, Attr.CALENDAR)))
                .map(TriggerItems::keyOf)
                .toList();
    }

    public List<String> groups() {
        TreeSet<String> groups = new TreeSet<>();
        for (Map<String, AttributeValue> item :
                table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.TRIGGER, null, null)) {
            groups.add(Table.str(item, Attr.GROUP));
        }
        return new ArrayList<>(groups);
    }

    public int count() {
        return table.countIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.TRIGGER);
    }

    private List<Map<String, AttributeValue>> itemsMatching(GroupMatcher<TriggerKey> matcher) {
        String prefix = switch (matcher.getCompareWithOperator()) {
            case EQUALS -> Keys.groupPrefix(matcher.getCompareToValue());
            case STARTS_WITH -> Keys.encode(matcher.getCompareToValue());
            default -> null;
        };
        return table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.TRIGGER, Attr.SK, prefix).stream()
                .filter(item -> matcher.isMatch(keyOf(item)))
                .toList();
    }

    static TriggerKey keyOf(Map<String, AttributeValue> item) {
        return new TriggerKey(Table.str(item, Attr.NAME), Table.str(item, Attr.GROUP));
    }
}
