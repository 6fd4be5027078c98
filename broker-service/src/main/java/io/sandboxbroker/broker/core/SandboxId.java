package io.sandboxbroker.broker.core;

import java.util.regex.Pattern;

/** The provider's numeric-ish identifier of a sandbox (CSP's {@code csp_id}); never blank, never exotic. */
public record SandboxId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public SandboxId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new BrokerException(
                    BrokerException.Reason.VALIDATION_ERROR,
                    "sandbox id must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
