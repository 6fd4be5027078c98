package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.Sandbox;

/** Body of {@code POST /v1/sandboxes/{id}/mark-for-deletion}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeletionView(String sandboxId, String status, Long deletionRequestedAt) {

    public static DeletionView of(Sandbox sandbox) {
        return new DeletionView(
                sandbox.id().value(), sandbox.status().wire(), Times.unix(sandbox.deletionRequestedAt()));
    }
}
