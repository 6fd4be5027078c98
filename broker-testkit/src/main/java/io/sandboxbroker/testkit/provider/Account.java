package io.sandboxbroker.testkit.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * One CSP account as {@code GET /v2/current_user/accounts} lists it. Only {@code account_type
 * "sandbox"} with {@code state "active"} is a usable sandbox; the others exist so that clients'
 * filtering can be tested.
 */
public record Account(
        String uuid,
        long cspId,
        String name,
        String accountType,
        String state,
        Instant createdAt,
        String sfdcAccountId) {
    public static final String SANDBOX = "sandbox";
    public static final String ACTIVE = "active";
    static final String ID_PREFIX = "identity/accounts/";

    public Account {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accountType, "accountType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(sfdcAccountId, "sfdcAccountId");
        if (uuid.isBlank() || uuid.contains("/")) {
            throw new IllegalArgumentException("uuid must be a bare uuid, not " + uuid);
        }
    }

    /** The wire {@code id}: {@code identity/accounts/<uuid>} (the broker's external id). */
    public String id() {
        return ID_PREFIX + uuid;
    }

    public boolean isActiveSandbox() {
        return SANDBOX.equals(accountType) && ACTIVE.equals(state);
    }
}
