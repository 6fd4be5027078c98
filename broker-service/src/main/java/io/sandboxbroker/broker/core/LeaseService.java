package io.sandboxbroker.broker.core;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an allocation's {@code expires_at} later: by its holder within the pool's bounds, or by an
 * operator without them. Each extension is one conditional write on the allocation as read
 * (status, holder, version), so it and a racing auto-expiry or release never both apply: the
 * loser re-reads and answers from the winner's state.
 */
public final class LeaseService {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseService.class);

    private final SandboxRepository sandboxes;
    private final AllocationService allocations;
    private final LeasePolicy policy;
    private final AllocationPolicy allocation;
    private final Clock clock;

    @Inject
    public LeaseService(
            SandboxRepository sandboxes,
            AllocationService allocations,
            LeasePolicy policy,
            AllocationPolicy allocation,
            Clock clock) {
        this.sandboxes = sandboxes;
        this.allocations = allocations;
        this.policy = policy;
        this.allocation = allocation;
        this.clock = clock;
    }

    /**
     * The holder's extension by {@code extra} (the pool's step when empty).
     *
     * @throws BrokerException NOT_SANDBOX_OWNER, FORBIDDEN (outside the token's scope), SANDBOX_NOT_FOUND,
     *         ALLOCATION_EXPIRED (past {@code expires_at}, or already reclaimed), INVALID_STATE (released),
     *         LEASE_LIMIT_REACHED (no extensions left, or past the pool's maximum lease)
     */
    public Sandbox extend(SandboxId id, LearnerId learner, LabToken token, Optional<Duration> extra) {
        for (int attempt = 0; attempt < allocation.maxAttempts(); attempt++) {
            Sandbox current = allocations.ownedBy(id, learner, token);
            Instant now = now();
            requireExtendable(current, now);
            if (current.isExpiredAt(now)) {
                throw expired(current);
            }
            LeasePolicy.Rule rule = policy.ruleFor(current.name());
            if (current.extensionCount() >= rule.maxExtensions()) {
                throw new BrokerException(
                        Reason.LEASE_LIMIT_REACHED,
                        "sandbox " + id + " was extended " + current.extensionCount()
                                + " times, the most this pool allows");
            }
            Instant wanted = current.expiresAt().plus(extra.orElse(rule.step()));
            Instant latest = policy.latestExpiry(current.name(), current.allocatedAt());
            if (wanted.isAfter(latest)) {
                throw new BrokerException(
                        Reason.LEASE_LIMIT_REACHED,
                        "sandbox " + id + " may be held until " + latest.getEpochSecond()
                                + " at the latest (Unix seconds)");
            }
            Optional<Sandbox> extended = write(current, wanted, now);
            if (extended.isPresent()) {
                LOG.info(
                        "action=extend sandbox_id={} learner={} client={} expires_at={} outcome=extended",
                        id,
                        learner,
                        token.name(),
                        wanted.getEpochSecond());
                return extended.get();
            }
        }
        throw busy();
    }

    /**
     * An operator's extension, not bounded by the pool's rules; also within the grace after expiry.
     *
     * @throws BrokerException SANDBOX_NOT_FOUND, INVALID_STATE unless allocated
     */
    public Sandbox extendAsAdmin(SandboxId id, Optional<Duration> extra) {
        for (int attempt = 0; attempt < allocation.maxAttempts(); attempt++) {
            Sandbox current = sandboxes
                    .find(id)
                    .orElseThrow(
                            () -> new BrokerException(Reason.SANDBOX_NOT_FOUND, "sandbox " + id + " was not found"));
            Instant now = now();
            requireExtendable(current, now);
            Instant from = current.expiresAt().isBefore(now) ? now : current.expiresAt();
            Instant wanted =
                    from.plus(extra.orElse(policy.ruleFor(current.name()).step()));
            Optional<Sandbox> extended = write(current, wanted, now);
            if (extended.isPresent()) {
                LOG.info(
                        "action=extend sandbox_id={} by=admin expires_at={} outcome=extended",
                        id,
                        wanted.getEpochSecond());
                return extended.get();
            }
        }
        throw busy();
    }

    private static void requireExtendable(Sandbox current, Instant now) {
        if (current.status() == SandboxStatus.ALLOCATED) {
            return;
        }
        if (current.expiresAt() != null && current.isExpiredAt(now)) {
            throw expired(current);
        }
        throw new BrokerException(
                Reason.INVALID_STATE,
                "sandbox " + current.id() + " is " + current.status().wire()
                        + "; only an allocated sandbox can be extended");
    }

    /**
     * A failed condition may hide this very write, applied by an attempt the SDK then retried:
     * the next version carrying exactly this expiry and count is taken as ours.
     */
    private Optional<Sandbox> write(Sandbox current, Instant wanted, Instant now) {
        Optional<Sandbox> extended = sandboxes.extend(current, wanted, now);
        if (extended.isPresent()) {
            return extended;
        }
        return sandboxes
                .find(current.id())
                .filter(fresh -> fresh.status() == SandboxStatus.ALLOCATED
                        && fresh.version() == current.version() + 1
                        && wanted.equals(fresh.expiresAt())
                        && fresh.extensionCount() == current.extensionCount() + 1);
    }

    private static BrokerException expired(Sandbox sandbox) {
        return new BrokerException(
                Reason.ALLOCATION_EXPIRED,
                "the allocation of sandbox " + sandbox.id() + " expired at "
                        + sandbox.expiresAt().getEpochSecond() + " (Unix seconds)");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static BrokerException busy() {
        return new BrokerException(
                Reason.SERVICE_UNAVAILABLE, "the pool is busy; retry shortly", Duration.ofSeconds(1));
    }
}
