package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.firing.Holdings.Holding;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.OwnWrite;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.Table;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Acquires due triggers without a global lock: every shard of the due index is queried, candidates are
 * merged by next fire time then priority (then this node's share first), and each is claimed by a write conditional
 * on the version the index showed. A stale index entry simply fails its condition.
 */
public final class Acquisition {
    private static final Logger LOG = LoggerFactory.getLogger(Acquisition.class);
    /** Re-queries after misfires moved triggers, as RAMJobStore re-examines them. */
    private static final int MAX_ROUNDS = 3;
    /**
     * How long due candidates from one query serve later acquisitions (a thread freed wants one trigger; querying
     * every shard for it costs a call per shard). A trigger another node stores meanwhile, due before the
     * candidates kept, is seen at most this much later; this process's own writes drop the candidates at once.
     */
    private static final long CANDIDATES_NANOS = 1_000_000_000L;

    /**
     * Due triggers read per shard and node at least: a node keeps about its share of a page (1/nodes) for the
     * acquisitions of the next second, so the page grows with the nodes, up to {@link #QUERY_MOST_LIMIT}.
     */
    private static final int QUERY_LEAST_LIMIT = 25;

    private static final int QUERY_MOST_LIMIT = 100;

    /** A lagging index keeps showing a version for a while after a claim on it failed; trying it again is waste. */
    private static final int STALE_VERSIONS = 10_000;

    private final Map<TriggerKey, String> staleVersions =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TriggerKey, String> eldest) {
                    return size() > STALE_VERSIONS;
                }
            });
    private final Table table;
    private final TriggerItems triggers;
    private final Misfires misfires;
    private final Holdings holdings;
    private final Clock clock;
    private final String instanceId;
    /**
     * Time, then priority, then among equals this node's share first (see {@link NodeShares}), so that two nodes do
     * not race for the same trigger.
     */
    private final Comparator<StoredTrigger> firingOrder;

    private final NodeShares shares;

    private final IdleShards idleShards;

    private final Object candidatesLock = new Object();
    /** Unclaimed due candidates of the last query, in firing order; only those due by {@link #candidatesHorizon} are complete. */
    private final java.util.LinkedHashMap<TriggerKey, StoredTrigger> candidates = new java.util.LinkedHashMap<>();

    private long candidatesHorizon = Long.MIN_VALUE;
    private long candidatesAtNanos;

    public Acquisition(
            Table table, TriggerItems triggers, Misfires misfires, Holdings holdings, Clock clock, String instanceId) {
        this.table = table;
        this.triggers = triggers;
        this.misfires = misfires;
        this.holdings = holdings;
        this.clock = clock;
        this.idleShards = new IdleShards(table);
        this.instanceId = instanceId;
        this.shares = new NodeShares(new NodeItems(table)::listedIds, instanceId, System::nanoTime);
        this.firingOrder = Comparator.comparingLong(
                        (StoredTrigger t) -> t.trigger().getNextFireTime().getTime())
                .thenComparing(t -> -t.trigger().getPriority())
                .thenComparing(t -> !shares.mine(t.trigger().getKey()))
                .thenComparingLong(t -> shares.mine(t.trigger().getKey())
                        ? NodeShares.rank(t.trigger().getKey())
                        : -NodeShares.rank(t.trigger().getKey()))
                .thenComparing(t -> t.trigger().getKey());
        triggers.onWaitingWritten(this::waitingWritten);
    }

    /** A trigger this process made WAITING, due within the kept candidates' horizon, would be missed by them. */
    private void waitingWritten(long nextFireTime) {
        idleShards.waitingWritten(nextFireTime);
        synchronized (candidatesLock) {
            if (nextFireTime <= candidatesHorizon) {
                forgetCandidates();
            }
        }
    }

    private void forgetCandidates() {
        synchronized (candidatesLock) {
            candidates.clear();
            candidatesHorizon = Long.MIN_VALUE;
        }
    }

    private void tried(TriggerKey key) {
        synchronized (candidatesLock) {
            candidates.remove(key);
        }
    }

    /** Same batch rules as Quartz's stores: the first trigger is due by {@code noLaterThan}, the rest within {@code timeWindow} of it. */
    public List<OperableTrigger> acquire(long noLaterThan, int maxCount, long timeWindow)
            throws JobPersistenceException {
        List<OperableTrigger> acquired = new ArrayList<>();
        try {
            acquireInto(acquired, noLaterThan, maxCount, timeWindow);
        } catch (JobPersistenceException | RuntimeException e) {
            if (acquired.isEmpty()) {
                throw e;
            }
            // Quartz must get what was acquired, or nobody would fire or release it until the orphan sweep
            LOG.warn("action=acquire outcome=partial acquired={}", acquired.size(), e);
        }
        return acquired;
    }

    private void acquireInto(List<OperableTrigger> acquired, long noLaterThan, int maxCount, long timeWindow)
            throws JobPersistenceException {
        Set<TriggerKey> skipped = new HashSet<>();
        Set<JobKey> nonConcurrentJobs = new HashSet<>();
        long batchEnd = noLaterThan;
        long now = clock.millis();
        for (int round = 0; round < MAX_ROUNDS && acquired.size() < maxCount; round++) {
            boolean moved = false;
            for (StoredTrigger candidate : candidates(noLaterThan + timeWindow, maxCount + skipped.size())) {
                TriggerKey key = candidate.trigger().getKey();
                if (acquired.size() >= maxCount) {
                    break;
                }
                if (skipped.contains(key)) {
                    continue;
                }
                if (candidate.version().equals(staleVersions.get(key))) {
                    tried(key);
                    continue;
                }
                StoredTrigger current = misfires.handle(candidate);
                if (current != candidate) {
                    tried(key);
                    // misfired (rewritten: look again next round) or changed by someone else (skip)
                    moved |= current != null;
                    staleVersions.put(key, candidate.version());
                    if (current == null) {
                        skipped.add(key);
                    }
                    continue;
                }
                long next = candidate.trigger().getNextFireTime().getTime();
                if (next > batchEnd) {
                    break;
                }
                skipped.add(key);
                JobKey job = candidate.trigger().getJobKey();
                if (candidate.nonConcurrent() && nonConcurrentJobs.contains(job)) {
                    // kept for the next acquisition, once this batch's run of the job is underway
                    continue;
                }
                tried(key);
                String fireId = instanceId + "_" + UUID.randomUUID();
                Holding holding = holdings.open(fireId);
                staleVersions.put(key, candidate.version());
                OperableTrigger trigger;
                if (next <= now) {
                    // due: Quartz fires it right away, and the firing's advance, conditional on the version seen
                    // here, is the claim; a write now would only be a second one (another node racing for it loses
                    // at the advance, as it would at a claim)
                    holding.reserving(key, candidate.version());
                    trigger = candidate.trigger();
                } else {
                    // due later: claimed now, so no other node waits for it in vain
                    StoredTrigger claimed = candidate.acquiredBy(instanceId, fireId);
                    // noted first: if the write's outcome stays unknown, the orphan sweep gives the trigger back
                    holding.acquiring(key, claimed.version());
                    // by fire id: only this acquisition writes it
                    if (!triggers.replace(claimed, candidate.version(), OwnWrite.wrote(Attr.FIRE_ID, fireId))) {
                        shares.claimLost();
                        holding.triggerGiven();
                        holdings.forgetIfEmpty(holding);
                        continue;
                    }
                    trigger = claimed.trigger();
                }
                holding.live(true);
                trigger.setFireInstanceId(fireId);
                if (candidate.nonConcurrent()) {
                    nonConcurrentJobs.add(job);
                }
                if (acquired.isEmpty()) {
                    batchEnd = Math.max(next, clock.millis()) + timeWindow;
                }
                acquired.add(trigger);
            }
            if (!moved) {
                break;
            }
        }
    }

    /**
     * Puts an acquired trigger back to WAITING, by key as Quartz's own stores do: the argument may be a caller's copy
     * without the fire instance id this store set. Only an acquisition of this process (the argument's fire id, or
     * one noted in {@link Holdings}) is released, never another node's.
     */
    public void release(OperableTrigger trigger) throws JobPersistenceException {
        String givenFireId = trigger.getFireInstanceId();
        Optional<Holding> reservation =
                holdings.get(givenFireId).filter(Holding::reserved).or(() -> holdings.reservationOf(trigger.getKey()));
        if (reservation.isPresent()) {
            releaseReservation(reservation.get());
            return;
        }
        holdings.get(givenFireId).ifPresent(h -> h.live(false));
        AtomicReference<String> releasedFireId = new AtomicReference<>();
        Optional<StoredTrigger> released = triggers.mutate(trigger.getKey(), current -> {
            boolean ours = current.fireId() != null
                    && (current.fireId().equals(givenFireId) || holdings.knows(current.fireId()));
            releasedFireId.set(current.fireId());
            return current.state() == TriggerStatus.ACQUIRED && ours ? current.next(TriggerStatus.WAITING) : null;
        });
        // the holding noted under the argument's id is given back either way: if its write failed, the sweep retries
        forgetTrigger(givenFireId);
        if (released.isPresent() && !releasedFireId.get().equals(givenFireId)) {
            forgetTrigger(releasedFireId.get());
        }
    }

    /**
     * A trigger acquired without a write is given back in memory only. Unless its firing lost the race for it, it
     * may be acquired again at once: its version is no longer taken for stale, and the kept candidates (which no
     * longer hold it) are dropped.
     */
    private void releaseReservation(Holding holding) {
        TriggerKey key = holding.trigger();
        if (key != null && !holding.raceLost()) {
            staleVersions.remove(key, holding.version());
            forgetCandidates();
        }
        holding.live(false);
        holding.triggerGiven();
        holdings.forgetIfEmpty(holding);
    }

    private void forgetTrigger(String fireId) {
        holdings.get(fireId).ifPresent(holding -> {
            holding.live(false);
            holding.triggerGiven();
            holdings.forgetIfEmpty(holding);
        });
    }

    /**
     * Due candidates in firing order: the kept ones of this node's share if enough of them are due and known
     * complete, else a query of every shard. A shard that filled its limit may hold more after its last item, so
     * only candidates up to the earliest such last item's time (the horizon) are known to come in the right order,
     * as in one fresh query. Kept candidates of other nodes' shares are not tried: their nodes have likely taken
     * them since; a fresh query shows which are still waiting (their node busy or gone), and those are tried.
     */
    private List<StoredTrigger> candidates(long dueBy, int wanted) throws JobPersistenceException {
        synchronized (candidatesLock) {
            if (System.nanoTime() - candidatesAtNanos < CANDIDATES_NANOS) {
                long usableUntil = Math.min(dueBy, candidatesHorizon);
                List<StoredTrigger> usable = candidates.values().stream()
                        .filter(t -> t.trigger().getNextFireTime().getTime() <= usableUntil)
                        .filter(t -> shares.mine(t.trigger().getKey()))
                        .toList();
                if (usable.size() >= wanted) {
                    return usable;
                }
            }
        }
        if (idleShards.quiet(dueBy)) {
            return List.of();
        }
        int limit = Math.max(wanted * 4, Math.min(QUERY_LEAST_LIMIT * shares.nodes(), QUERY_MOST_LIMIT));
        List<StoredTrigger> found = new ArrayList<>();
        long horizon = dueBy;
        // the query looks past dueBy, so that an idle node learns when the next trigger is due (IdleShards)
        long lookedUntil = dueBy + IdleShards.QUIET_AT_MOST_MILLIS;
        long nothingDueBefore = lookedUntil;
        for (int shard = 0; shard < triggers.shards(); shard++) {
            List<Map<String, AttributeValue>> items = table.queryDue(TriggerItems.shard(shard), lookedUntil, limit);
            for (Map<String, AttributeValue> item : items) {
                Long next = Table.num(item, Attr.NEXT_FIRE);
                nothingDueBefore = Math.min(nothingDueBefore, next == null ? Long.MIN_VALUE : next);
                if (next == null || next > dueBy) {
                    continue;
                }
                StoredTrigger stored = triggers.fromItem(item);
                if (stored.state() == TriggerStatus.WAITING && stored.trigger().getNextFireTime() != null) {
                    found.add(stored);
                }
            }
            if (items.size() >= limit) {
                Long last = Table.num(items.get(items.size() - 1), Attr.NEXT_FIRE);
                horizon = Math.min(horizon, last == null ? Long.MIN_VALUE : last);
            }
        }
        idleShards.queried(nothingDueBefore);
        if (!found.isEmpty()) {
            shares.refreshIfStale();
        }
        found.sort(firingOrder);
        synchronized (candidatesLock) {
            candidates.clear();
            found.forEach(t -> candidates.put(t.trigger().getKey(), t));
            candidatesHorizon = horizon;
            candidatesAtNanos = System.nanoTime();
        }
        return found;
    }
}
