package io.sandboxbroker.broker.core;

import java.time.Duration;
import java.util.Optional;

/**
 * The one failure type of the domain. Its {@link Reason} is the wire's {@code detail.code}; the
 * HTTP layer decides the status. Messages are shown to callers, so they never name another
 * learner or a secret.
 */
public final class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Every error code of the contract (docs/architecture.md#error-codes). */
    public enum Reason {
        MISSING_SANDBOX_ID,
        VALIDATION_ERROR,
        UNAUTHORIZED,
        FORBIDDEN,
        NOT_SANDBOX_OWNER,
        ALLOCATION_EXPIRED,
        LEASE_LIMIT_REACHED,
        SANDBOX_NOT_FOUND,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        NO_SANDBOXES_AVAILABLE,
        IDEMPOTENCY_KEY_CONFLICT,
        INVALID_STATE,
        RATE_LIMIT_EXCEEDED,
        NOT_READY,
        SERVICE_UNAVAILABLE,
        INTERNAL_ERROR
    }

    private final Reason reason;
    private final transient Duration retryAfter;

    public BrokerException(Reason reason, String message) {
        this(reason, message, null);
    }

    public BrokerException(Reason reason, String message, Duration retryAfter) {
        super(message);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
