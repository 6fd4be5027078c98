package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.Sandbox;

/** Body of {@code POST /v1/allocate} (201 new, 200 replay). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AllocationView(
        String sandboxId, String name, String externalId, Long allocatedAt, Long expiresAt, String sfdcAccountId) {

    public static AllocationView of(Sandbox sandbox) {
        return new AllocationView(
                sandbox.id().value(),
                sandbox.name(),
                sandbox.externalId(),
                Times.unix(sandbox.allocatedAt()),
                Times.unix(sandbox.expiresAt()),
                sandbox.sfdcAccountId());
    }
}
