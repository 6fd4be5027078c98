package io.sandboxbroker.testkit.provider;

import java.util.Objects;

/** One NIOSXaaS universal service inside an account, as the universalservices listing shows it. */
public record UniversalService(String uuid, String name) {
    static final String ID_PREFIX = "infra/universal_service/";

    public UniversalService {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
    }

    /** The wire {@code id}: {@code infra/universal_service/<uuid>}. */
    public String id() {
        return ID_PREFIX + uuid;
    }
}
