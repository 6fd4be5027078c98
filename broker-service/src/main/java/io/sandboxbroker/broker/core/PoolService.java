package io.sandboxbroker.broker.core;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
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
    private static final Set<SandboxStatus> BULK_DELETABLE = EnumSet.of(SandboxStatus.STALE, SandboxStatus.DELETION_FAILED);
    /** Counting reads every item; operators refreshing a page must not multiply that. */
    private static final Duration STATS_MAX_AGE = Duration.ofSeconds(10);

    private final SandboxRepository sandboxes;
    private final Clock clock;
    private final AtomicReference<PoolStats> lastStats = new AtomicReference<>();

    @Inject
    public PoolService(SandboxRepository sandboxes, Clock clock) {
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    public SandboxPage list(Optional<SandboxStatus> status, int limit, Optional<String> cursor) {
        return sandboxes.page(status, limit, cursor);
    }

    /** Counts per status and name group, at most {@link #STATS_MAX_AGE} old. */
    public PoolStats stats() {
        PoolStats cached = lastStats.get();
        if (cached != null && clock.instant().isBefore(cached.computedAt().plus(STATS_MAX_AGE))) {
            return cached;
        }
        PoolStats fresh = count();
        lastStats.set(fresh);
        return fresh;
    }

    /** Counts now, reading every sandbox through the status index (all pages). */
    public PoolStats count() {
        PoolStats.Tally tally = new PoolStats.Tally();
        for (SandboxStatus status : SandboxStatus.values()) {
            sandboxes.forEach(status, sandbox -> tally.add(sandbox.name(), sandbox.status()));
        }
        return tally.at(clock.instant());
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
        lastStats.set(null);
        LOG.info("action=bulk_delete status={} deleted={}", status.wire(), deleted.get());
        return deleted.get();
    }
}
