package io.sandboxbroker.broker.core;

import java.util.Objects;

/**
 * What asking the provider to delete a sandbox came to. The provider's failures are classified
 * here instead of thrown, because the cleanup job must decide per sandbox (mark deleted, retry
 * with backoff, or give up) and must never lose a batch to one unexpected exception.
 *
 * @param kind   how the cleanup job should treat the sandbox
 * @param detail a short, safe description for history and logs (status, timeout, …); never a
 *               secret or a response body taken verbatim
 */
public record DeletionResult(Kind kind, String detail) {

    /** The three ways a delete can end (docs/architecture.md#sandbox-lifecycle). */
    public enum Kind {
        /** The sandbox no longer exists at the provider: deleted now, or already (404). */
        GONE,
        /** Worth retrying later: 5xx (also an HTML error page wrapped in JSON), timeouts, connection errors. */
        TRANSIENT,
        /** Retrying will not help: the provider refused the request (4xx other than 404). */
        PERMANENT,
        /**
         * Not attempted: the provider is known to be failing (circuit breaker open). The sandbox
         * stays exactly as it was; this is not an attempt and never a reason to give up on it.
         */
        NOT_ATTEMPTED
    }

    public DeletionResult {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    public static DeletionResult gone(String detail) {
        return new DeletionResult(Kind.GONE, detail);
    }

    public static DeletionResult transientFailure(String detail) {
        return new DeletionResult(Kind.TRANSIENT, detail);
    }

    public static DeletionResult permanent(String detail) {
        return new DeletionResult(Kind.PERMANENT, detail);
    }

    public static DeletionResult notAttempted(String detail) {
        return new DeletionResult(Kind.NOT_ATTEMPTED, detail);
    }

    public boolean isGone() {
        return kind == Kind.GONE;
    }
}
