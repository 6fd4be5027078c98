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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's hold on a suspect sandbox. Held, an available or stale sandbox leaves the pool
 * (its status is no longer {@code available}, which every claim is conditional on), and an
 * allocated one stays with its learner but ends in {@code quarantined} instead of the clean-up at
 * release or expiry. Lifting the hold puts it back on its path.
 */
public final class QuarantineService {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineService.class);
    private static final Set<SandboxStatus> HOLDABLE = EnumSet.of(
            SandboxStatus.AVAILABLE, SandboxStatus.STALE, SandboxStatus.ALLOCATED, SandboxStatus.PENDING_DELETION);
    private static final int ATTEMPTS = 10;
    public static final int MAX_REASON = 500;

    private final SandboxRepository sandboxes;
    private final Clock clock;

    @Inject
    public QuarantineService(SandboxRepository sandboxes, Clock clock) {
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    /**
     * @throws BrokerException SANDBOX_NOT_FOUND, INVALID_STATE (already held, or deleted / deletion_failed)
     */
    public Sandbox quarantine(SandboxId id, String reason) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Sandbox current = find(id);
            if (current.quarantine() != null || !HOLDABLE.contains(current.status())) {
                throw new BrokerException(
                        Reason.INVALID_STATE,
                        "sandbox " + id + " is " + current.status().wire()
                                + (current.quarantine() != null ? " and already quarantined" : "")
                                + "; it cannot be quarantined");
            }
            Optional<Sandbox> held = sandboxes.quarantine(current, reason, now());
            if (held.isPresent()) {
                LOG.info(
                        "action=quarantine sandbox_id={} from={} outcome={}",
                        id,
                        current.status().wire(),
                        held.get().status().wire());
                return held.get();
            }
            // Changed since read (allocated, released, synced): decide again on the new state.
        }
        throw busy();
    }

    /** @throws BrokerException SANDBOX_NOT_FOUND, INVALID_STATE unless quarantined */
    public Sandbox release(SandboxId id) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Sandbox current = find(id);
            if (current.quarantine() == null) {
                throw new BrokerException(Reason.INVALID_STATE, "sandbox " + id + " is not quarantined");
            }
            Optional<Sandbox> released = sandboxes.releaseQuarantine(current, now());
            if (released.isPresent()) {
                LOG.info(
                        "action=release_quarantine sandbox_id={} outcome={}",
                        id,
                        released.get().status().wire());
                return released.get();
            }
        }
        throw busy();
    }

    private Sandbox find(SandboxId id) {
        return sandboxes
                .find(id)
                .orElseThrow(() -> new BrokerException(Reason.SANDBOX_NOT_FOUND, "sandbox " + id + " was not found"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static BrokerException busy() {
        return new BrokerException(
                Reason.SERVICE_UNAVAILABLE, "the sandbox keeps changing; retry shortly", Duration.ofSeconds(1));
    }
}
