package io.sandboxbroker.broker.core;

import java.util.Objects;

/**
 * What the NIOSXaaS clean-up of one sandbox came to. It is a value, not an exception, because the
 * cleanup job records it (history, metrics) and then deletes the sandbox whatever it says.
 *
 * @param kind     what happened
 * @param services services deleted ({@code CLEANED}) or that would have been ({@code SHADOW}); 0 otherwise
 * @param detail   a short, safe reason for {@code FAILED}; empty otherwise; never a secret
 */
public record CleanupOutcome(Kind kind, int services, String detail) {

    /** The outcomes the cleanup job distinguishes. */
    public enum Kind {
        /** Matching services were deleted. */
        CLEANED,
        /** The sandbox had no matching service (or no longer exists). */
        NOTHING_TO_CLEAN,
        /** Shadow mode: matching services were found and logged, none deleted. */
        SHADOW,
        /** Clean-up is switched off; nothing was called. */
        DISABLED,
        /** Clean-up could not finish; the delete goes ahead anyway. */
        FAILED
    }

    public CleanupOutcome {
        Objects.requireNonNull(kind, "kind");
        if (services < 0) {
            throw new IllegalArgumentException("services must not be negative: " + services);
        }
        detail = detail == null ? "" : detail;
    }

    public static CleanupOutcome cleaned(int services) {
        return new CleanupOutcome(Kind.CLEANED, services, "");
    }

    public static CleanupOutcome nothingToClean() {
        return new CleanupOutcome(Kind.NOTHING_TO_CLEAN, 0, "");
    }

    public static CleanupOutcome shadow(int wouldDelete) {
        return new CleanupOutcome(Kind.SHADOW, wouldDelete, "");
    }

    public static CleanupOutcome disabled() {
        return new CleanupOutcome(Kind.DISABLED, 0, "");
    }

    public static CleanupOutcome failed(String detail) {
        return new CleanupOutcome(Kind.FAILED, 0, detail);
    }
}
