package io.sandboxbroker.broker.core;

/**
 * The learner's identity for one lab play (Instruqt's participant id). Lab scripts send it in a
 * header, so it is bounded and printable before it reaches storage or logs.
 */
public record LearnerId(String value) {
    public static final int MAX_LENGTH = 128;

    public LearnerId {
        if (value == null || value.isBlank()) {
            throw new BrokerException(
                    BrokerException.Reason.MISSING_SANDBOX_ID, "the X-Instruqt-Sandbox-ID header is required");
        }
        if (value.length() > MAX_LENGTH || !isPrintableAscii(value)) {
            throw new BrokerException(
                    BrokerException.Reason.VALIDATION_ERROR,
                    "the learner id must be at most " + MAX_LENGTH + " printable characters");
        }
    }

    /** Trims what a header carried; blank or absent means the learner is missing. */
    public static LearnerId fromHeader(String raw) {
        return new LearnerId(raw == null ? null : raw.trim());
    }

    static boolean isPrintableAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Override
    public String toString() {
        return value;
    }
}
