package io.sandboxbroker.broker.core;

import java.util.Optional;

/**
 * What a lab's setup script asks for. The idempotency key defaults to the learner id; a custom
 * key is bound to the learner who first used it.
 */
public record AllocationRequest(
        LearnerId learner, Optional<String> trackName, Optional<String> namePrefix, Optional<String> idempotencyKey) {

    public static final int MAX_FIELD_LENGTH = 128;

    public AllocationRequest {
        trackName = cleaned(trackName, "X-Instruqt-Track-ID");
        namePrefix = cleaned(namePrefix, "X-Sandbox-Name-Prefix");
        idempotencyKey = cleaned(idempotencyKey, "Idempotency-Key");
    }

    /** The custom key, if the caller sent one that differs from its learner id. */
    public Optional<String> customKey() {
        return idempotencyKey.filter(key -> !key.equals(learner.value()));
    }

    private static Optional<String> cleaned(Optional<String> value, String header) {
        Optional<String> trimmed = value.map(String::trim).filter(v -> !v.isEmpty());
        trimmed.ifPresent(v -> {
            if (v.length() > MAX_FIELD_LENGTH || !LearnerId.isPrintableAscii(v)) {
                throw new BrokerException(
                        BrokerException.Reason.VALIDATION_ERROR,
                        header + " must be at most " + MAX_FIELD_LENGTH + " printable characters");
            }
        });
        return trimmed;
    }
}
