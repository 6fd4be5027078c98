package io.sandboxbroker.broker.core;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What operators read and do to the pool as a whole. */
public final class PoolService {
    private static final Logger LOG = LoggerFactory.getLogger(PoolService.class);
    /** Only states that no longer refer to a live provider sandbox may be dropped in bulk. */
    private static final Set<SandboxStatus> BULK_DELETABLE =
            EnumSet.of(SandboxStatus.STALE, SandboxStatus.DELETION_FAILED);
    /** Readers in one process (admin page, metrics scrapes) share a copy this young without a read. */
    private static final Duration LOCAL_MAX_AGE = Duration.ofSeconds(10);
    /**
     * How often the {@code deleted} tombstones (history, kept for 30 days) are counted. Counting
     * them every 30 s read the whole history each time, for a number nobody acts on.
     */
    static final Duration DELETED_RECOUNT = Duration.ofHours(1);

    private final SandboxRepository sandboxes;
    private final PoolStatsStore statsStore;
    private final RetiredTenants retired;
    private final LifecyclePolicy lifecycle;
    private final Clock clock;
    private final AtomicReference<PoolStats> lastStats = new AtomicReference<>();
    private final AtomicReference<RetiredTenants.StillListed> lastStillListed = new AtomicReference<>();
    private final AtomicReference<Instant> stillListedReadAt = new AtomicReference<>(Instant.EPOCH);

    @Inject
    public PoolService(
            SandboxRepository sandboxes,
            PoolStatsStore statsStore,
            RetiredTenants retired,
            LifecyclePolicy lifecycle,
            Clock clock) {
        this.sandboxes = sandboxes;
        this.statsStore = statsStore;
        this.retired = retired;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    public SandboxPage list(Optional<SandboxStatus> status, int limit, Optional<String> cursor) {
        return sandboxes.page(status, limit, cursor);
    }

    /**
     * Counts per status and name group: the stored statistics the pool-stats job keeps fresh,
     * recomputed here only when they are missing or older than the configured maximum age.
     */
    public PoolStats stats() {
        Instant now = clock.instant();
        PoolStats cached = lastStats.get();
        if (cached != null && now.isBefore(cached.computedAt().plus(LOCAL_MAX_AGE))) {
            return cached;
        }
        Optional<PoolStats> stored = statsStore.read();
        if (stored.isPresent() && now.isBefore(stored.get().computedAt().plus(lifecycle.statsMaxAge()))) {
            lastStats.set(stored.get());
            return stored.get();
        }
        return refreshStats();
    }

    /**
     * Retired tenants the provider still listed at the last sync (none before the first), read at
     * most once per {@link #LOCAL_MAX_AGE} per process.
     */
    public RetiredTenants.StillListed retiredStillListed() {
        Instant now = clock.instant();
        RetiredTenants.StillListed cached = lastStillListed.get();
        if (cached != null && now.isBefore(stillListedReadAt.get().plus(LOCAL_MAX_AGE))) {
            return cached;
        }
        RetiredTenants.StillListed read = retired.stillListed()
                .orElseGet(() -> new RetiredTenants.StillListed(0, java.util.List.of(), Instant.EPOCH));
        lastStillListed.set(read);
        stillListedReadAt.set(now);
        return read;
    }

    /**
     * Counts now and stores the result for every process (the pool-stats job calls this). The
     * {@code deleted} tombstones are recounted only every {@link #DELETED_RECOUNT}; in between,
     * the last stored counts of them are carried over, so a run reads the live sandboxes only.
     */
    public PoolStats refreshStats() {
        PoolStats fresh = count(statsStore.read());
        statsStore.write(fresh);
        lastStats.set(fresh);
        LOG.info(
                "action=pool_stats outcome=completed total={} available={} allocated={} pending_deletion={} "
                        + "deletion_failed={} stale={} deleted={} deleted_counted_at={}",
                fresh.total(),
                fresh.count(SandboxStatus.AVAILABLE),
                fresh.count(SandboxStatus.ALLOCATED),
                fresh.count(SandboxStatus.PENDING_DELETION),
                fresh.count(SandboxStatus.DELETION_FAILED),
                fresh.count(SandboxStatus.STALE),
                fresh.count(SandboxStatus.DELETED),
                fresh.deletedCountedAt());
        return fresh;
    }

    /**
     * An operator's second chance for a sandbox the cleanup gave up on: deletion_failed →
     * pending_deletion, attempts from zero.
     *
     * @throws BrokerException SANDBOX_NOT_FOUND for an unknown id, INVALID_STATE unless it is deletion_failed
     */
    public Sandbox retryDeletion(SandboxId id) {
        Sandbox current = sandboxes
                .find(id)
                .orElseThrow(() -> new BrokerException(Reason.SANDBOX_NOT_FOUND, "sandbox " + id + " was not found"));
        if (current.status() != SandboxStatus.DELETION_FAILED) {
            throw new BrokerException(
                    Reason.INVALID_STATE,
                    "sandbox " + id + " is " + current.status().wire() + ", not deletion_failed");
        }
        Sandbox retried = sandboxes
                .retryDeletion(current, clock.instant().truncatedTo(ChronoUnit.SECONDS))
                .orElseThrow(() -> new BrokerException(
                        Reason.INVALID_STATE, "sandbox " + id + " changed meanwhile; read it again"));
        LOG.info("action=retry_deletion sandbox_id={} outcome=pending_deletion", id);
        return retried;
    }

    /** Counts now, reading every sandbox through the status index (all pages), tombstones included. */
    public PoolStats count() {
        return count(Optional.empty());
    }

    /** Counts now; the tombstones only if {@code earlier} did not count them recently. */
    private PoolStats count(Optional<PoolStats> earlier) {
        Instant now = clock.instant();
        Optional<PoolStats> carried =
                earlier.filter(stats -> now.isBefore(stats.deletedCountedAt().plus(DELETED_RECOUNT)));
        PoolStats.Tally tally = new PoolStats.Tally();
        for (SandboxStatus status : SandboxStatus.values()) {
            if (status == SandboxStatus.DELETED && carried.isPresent()) {
                tally.carry(status, carried.get());
            } else {
                sandboxes.forEach(status, sandbox -> tally.add(sandbox.name(), sandbox.status()));
            }
        }
        return tally.at(now, carried.map(PoolStats::deletedCountedAt).orElse(now));
    }

    /** Removes every sandbox in a dead-end state from the table (not from the provider). */
    public int bulkDelete(SandboxStatus status) {
        if (!BULK_DELETABLE.contains(status)) {
            throw new BrokerException(Reason.VALIDATION_ERROR, "status must be stale or deletion_failed");
        }
        AtomicInteger deleted = new AtomicInteger();
        sandboxes.forEach(status, sandbox -> {
            if (sandboxes.deleteIfStatus(sandbox.id(), status)) {
                deleted.incrementAndGet();
            }
        });
        refreshStats();
        LOG.info("action=bulk_delete status={} deleted={}", status.wire(), deleted.get());
        return deleted.get();
    }
}
