package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.Sandbox;

/** Body of {@code POST /v1/sandboxes/{id}/extend}: the new expiry (integer Unix seconds) and how often it was extended. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExtensionView(String sandboxId, String status, long expiresAt, int extensionCount) {

    public static ExtensionView of(Sandbox sandbox) {
        return new ExtensionView(
                sandbox.id().value(),
                sandbox.status().wire(),
                Times.unix(sandbox.expiresAt()),
                sandbox.extensionCount());
    }
}
