package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.Sandbox;

/** Body of {@code GET /v1/sandboxes/{id}}, shown only to the holder. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SandboxView(
        String sandboxId,
        String name,
        String externalId,
        String status,
        String allocatedToTrack,
        Long allocatedAt,
        Long expiresAt,
        String trackName,
        String sfdcAccountId) {

    public static SandboxView of(Sandbox sandbox) {
        return new SandboxView(
                sandbox.id().value(),
                sandbox.name(),
                sandbox.externalId(),
                sandbox.status().wire(),
                sandbox.holder().map(Object::toString).orElse(null),
                Times.unix(sandbox.allocatedAt()),
                Times.unix(sandbox.expiresAt()),
                sandbox.trackName(),
                sandbox.sfdcAccountId());
    }
}
