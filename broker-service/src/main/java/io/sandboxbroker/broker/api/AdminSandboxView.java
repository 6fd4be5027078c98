package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.Sandbox;

/** One sandbox as operators see it: every stored field. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AdminSandboxView(String sandboxId, String name, String externalId, String status, String allocatedToTrack,
        String trackName, String idempotencyKey, String allocatedAt, String expiresAt, String deletionRequestedAt,
        int deletionRetryCount, String lastSynced, String sfdcAccountId, String createdAt, String updatedAt,
        String nextAttemptAt, String staleSince, String deletionFailureReason, long version) {

    public static AdminSandboxView of(Sandbox s) {
        return new AdminSandboxView(s.id().value(), s.name(), s.externalId(), s.status().wire(),
                s.holder().map(Object::toString).orElse(null), s.trackName(), s.idempotencyKey(),
                Times.iso(s.allocatedAt()), Times.iso(s.expiresAt()), Times.iso(s.deletionRequestedAt()),
                s.deletionRetryCount(), Times.iso(s.lastSynced()), s.sfdcAccountId(), Times.iso(s.createdAt()),
                Times.iso(s.updatedAt()), Times.iso(s.nextAttemptAt()), Times.iso(s.staleSince()), s.deletionFailure(),
                s.version());
    }
}
