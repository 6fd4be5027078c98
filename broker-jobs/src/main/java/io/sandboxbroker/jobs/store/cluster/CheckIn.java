package io.sandboxbroker.jobs.store.cluster;

import io.sandboxbroker.jobs.store.table.NodeItems;
import io.sandboxbroker.jobs.store.table.NodeItems.NodeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks this instance in every interval, then looks for dead instances and recovers each one it
 * manages to claim. Claims carry a lease of one failure period, so if this instance dies mid-recovery
 * another survivor claims the dead node again and repeats the (idempotent) recovery.
 */
public final class CheckIn {
    private static final Logger LOG = LoggerFactory.getLogger(CheckIn.class);

    private final NodeItems nodes;
    private final Recovery recovery;
    private final Clock clock;
    private final String instanceId;
    private final Duration interval;
    private final int failureMultiple;
    private final AtomicReference<Instant> lastCheckin = new AtomicReference<>();
    private ScheduledExecutorService executor;

    public CheckIn(NodeItems nodes, Recovery recovery, Clock clock, String instanceId, Duration interval, int failureMultiple) {
        this.nodes = nodes;
        this.recovery = recovery;
        this.clock = clock;
        this.instanceId = instanceId;
        this.interval = interval;
        this.failureMultiple = failureMultiple;
    }

    /** Recovers what an earlier life of this instance id left behind, checks in, and starts the periodic round. */
    public synchronized void start() throws org.quartz.JobPersistenceException {
        recovery.recover(instanceId);
        round();
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quartz-checkin-" + instanceId);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops checking in; on a clean stop also releases acquired triggers and, if nothing else is held, removes the node record. */
    public synchronized void stop() {
        stopRounds();
        if (lastCheckin.get() == null) {
            return;
        }
        try {
            if (!recovery.releaseAcquired(instanceId)) {
                nodes.delete(instanceId);
            }
        } catch (Exception e) {
            LOG.warn("action=checkout outcome=failed instance={} (others will recover it)", instanceId, e);
        }
    }

    private void stopRounds() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** When this instance last checked in successfully; empty before the first check-in. */
    public Optional<Instant> lastCheckin() {
        return Optional.ofNullable(lastCheckin.get());
    }

    void round() {
        try {
            nodes.checkIn(instanceId, clock.millis(), interval.toMillis(), failureMultiple);
            lastCheckin.set(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("action=checkin outcome=failed instance={}", instanceId, e);
            return;
        }
        try {
            recoverDeadNodes();
        } catch (Exception e) {
            LOG.warn("action=recover outcome=failed instance={}", instanceId, e);
        }
    }

    private void recoverDeadNodes() throws org.quartz.JobPersistenceException {
        long now = clock.millis();
        for (NodeRecord node : nodes.all()) {
            if (node.instanceId().equals(instanceId) || !node.deadAt(now)) {
                continue;
            }
            long lease = node.intervalMillis() * Math.max(failureMultiple, 2);
            if (!nodes.claim(node, instanceId, now, lease)) {
                continue;
            }
            LOG.info("action=recover instance={} lastCheckin={} by={}", node.instanceId(),
                    Instant.ofEpochMilli(node.lastCheckinMillis()), instanceId);
            recovery.recover(node.instanceId());
            nodes.deleteRecovered(node.instanceId(), instanceId);
        }
    }
}
