package io.sandboxbroker.jobs.store.cluster;

import io.sandboxbroker.jobs.store.firing.Holdings;
import io.sandboxbroker.jobs.store.firing.Release;
import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.NodeItems.NodeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks this instance in every interval (a fresh heartbeat token), gives back orphaned holdings, watches the
 * other instances' heartbeats, and recovers each one whose heartbeat stayed the same for its failure timeout, as
 * measured on this process's monotonic clock: two hosts' wall clocks are never compared. A claim that stays
 * unchanged for a lease is taken over (its survivor died mid-recovery). Every few rounds it also sweeps the
 * table for holdings of instances that are gone and for triggers BLOCKED behind a job that runs nowhere.
 */
public final class CheckIn {
    private static final Logger LOG = LoggerFactory.getLogger(CheckIn.class);
    /** Rounds between sweeps of the table (index scans and reads): a sweep only repairs what should not happen. */
    private static final int SWEEP_EVERY = 8;

    private final NodeItems nodes;
    private final Recovery recovery;
    private final Holdings holdings;
    private final Release release;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final String instanceId;
    private final Duration interval;
    private final int failureMultiple;
    private final AtomicReference<Instant> lastCheckin = new AtomicReference<>();
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Watch> watched = new HashMap<>();
    private ScheduledExecutorService heartbeat;
    private ScheduledExecutorService watch;
    private long rounds;
    private volatile long lastBeatNanos;

    /** A heartbeat and a claim as last seen, and since when (monotonic nanos) each was unchanged. */
    private record Watch(String beat, long beatSince, String claim, long claimSince) {
        Watch next(NodeRecord node, long now) {
            return new Watch(
                    node.beat(),
                    node.beat().equals(beat) ? beatSince : now,
                    node.claim(),
                    java.util.Objects.equals(node.claim(), claim) ? claimSince : now);
        }
    }

    public CheckIn(
            NodeItems nodes,
            Recovery recovery,
            Holdings holdings,
            Release release,
            Clock clock,
            LongSupplier nanoTime,
            String instanceId,
            Duration interval,
            int failureMultiple) {
        this.nodes = nodes;
        this.recovery = recovery;
        this.holdings = holdings;
        this.release = release;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.instanceId = instanceId;
        this.interval = interval;
        this.failureMultiple = failureMultiple;
    }

    /** Recovers what an earlier life of this instance id left behind, checks in, and starts the periodic round. */
    public synchronized void start() throws org.quartz.JobPersistenceException {
        recovery.recover(instanceId);
        checkInOnce();
        // separate threads: a slow recovery or sweep (retries, throttling) must never delay the heartbeat
        heartbeat = daemon("quartz-checkin-" + instanceId);
        heartbeat.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        watch = daemon("quartz-watch-" + instanceId);
        watch.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Stops checking in and checks out, after the scheduler stopped: gives back everything this node knows it
     * holds and, only when nothing is left, removes the node record so the others see it gone at once. If
     * something could not be given back, the record stays and the others recover the node after its timeout.
     */
    public synchronized void stop() {
        stopRounds();
        if (lastCheckin.get() == null) {
            return;
        }
        try {
            if (release.everything()) {
                nodes.delete(instanceId);
                LOG.info("action=checkout outcome=done instance={}", instanceId);
            } else {
                LOG.warn(
                        "action=checkout outcome=partial instance={} still_held={} (others will recover it)",
                        instanceId,
                        holdings.all());
            }
        } catch (RuntimeException e) {
            LOG.warn("action=checkout outcome=failed instance={} (others will recover it)", instanceId, e);
        }
    }

    private void stopRounds() {
        for (ScheduledExecutorService executor : new ScheduledExecutorService[] {watch, heartbeat}) {
            if (executor != null) {
                executor.shutdownNow();
                try {
                    executor.awaitTermination(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        watch = null;
        heartbeat = null;
    }

    /** When this instance last checked in successfully; empty before the first check-in. */
    public Optional<Instant> lastCheckin() {
        return Optional.ofNullable(lastCheckin.get());
    }

    /** Grows each time this node finds it was judged dead and recovered while it was running (its firings are void). */
    public long generation() {
        return generation.get();
    }

    /** Whether the node, as this instance watches it, is alive; empty when this instance does not watch it (yet). */
    public synchronized Optional<Boolean> watchedAlive(NodeRecord node) {
        Watch watch = watched.get(node.instanceId());
        if (node.instanceId().equals(instanceId)) {
            return Optional.of(lastCheckin.get() != null);
        }
        return watch == null ? Optional.empty() : Optional.of(!stoppedBeating(node, watch, nanoTime.getAsLong()));
    }

    private void checkInOnce() {
        Optional<NodeRecord> before = nodes.checkIn(instanceId, clock.millis(), interval.toMillis(), failureMultiple);
        boolean wasKnown = lastCheckin.get() != null;
        if (wasKnown && (before.isEmpty() || before.get().recoverer() != null)) {
            generation.incrementAndGet();
            LOG.error(
                    "action=checkin outcome=was_recovered instance={} by={}: this node was judged dead while running; "
                            + "its firings lost their holdings and stop at their next fence check",
                    instanceId,
                    before.map(NodeRecord::recoverer).orElse("(record removed)"));
        }
        lastCheckin.set(clock.instant());
        lastBeatNanos = nanoTime.getAsLong();
    }

    void beat() {
        try {
            checkInOnce();
        } catch (RuntimeException e) {
            LOG.warn("action=checkin outcome=failed instance={}", instanceId, e);
        }
    }

    /** Recovers others only while this node's own heartbeat is current: a node that cannot check in judges nobody. */
    void round() {
        if (lastCheckin.get() == null
                || nanoTime.getAsLong() - lastBeatNanos
                        > interval.multipliedBy(2).toNanos()) {
            return;
        }
        release.orphans(interval.toNanos());
        try {
            recoverDeadNodes();
        } catch (Exception e) {
            LOG.warn("action=recover outcome=failed instance={}", instanceId, e);
        }
        if (++rounds % SWEEP_EVERY == 0) {
            try {
                recovery.sweep(instanceId, holdings);
                recovery.unblockStranded();
            } catch (Exception e) {
                LOG.warn("action=sweep outcome=failed instance={}", instanceId, e);
            }
        }
    }

    private void recoverDeadNodes() throws org.quartz.JobPersistenceException {
        List<NodeRecord> all = nodes.all();
        long now = nanoTime.getAsLong();
        Map<String, NodeRecord> dead = new HashMap<>();
        synchronized (this) {
            watched.keySet().retainAll(all.stream().map(NodeRecord::instanceId).toList());
            for (NodeRecord node : all) {
                if (node.instanceId().equals(instanceId)) {
                    continue;
                }
                Watch watch = watched.merge(
                        node.instanceId(),
                        new Watch(node.beat(), now, node.claim(), now),
                        (old, fresh) -> old.next(node, now));
                if (stoppedBeating(node, watch, now) && claimable(node, watch, now)) {
                    dead.put(node.instanceId(), node);
                }
            }
        }
        for (NodeRecord node : dead.values()) {
            if (!nodes.claim(node, instanceId)) {
                continue;
            }
            LOG.info(
                    "action=recover instance={} lastCheckin={} by={}",
                    node.instanceId(),
                    Instant.ofEpochMilli(node.lastCheckinMillis()),
                    instanceId);
            recovery.recover(node.instanceId());
            nodes.deleteRecovered(node.instanceId(), instanceId);
        }
    }

    private static boolean stoppedBeating(NodeRecord node, Watch watch, long now) {
        return now - watch.beatSince() > TimeUnit.MILLISECONDS.toNanos(node.failureTimeoutMillis());
    }

    /** Unclaimed, or its claim unchanged for a lease (the survivor that claimed it died mid-recovery). */
    private static boolean claimable(NodeRecord node, Watch watch, long now) {
        return node.claim() == null
                || now - watch.claimSince() > TimeUnit.MILLISECONDS.toNanos(node.failureTimeoutMillis());
    }
}
