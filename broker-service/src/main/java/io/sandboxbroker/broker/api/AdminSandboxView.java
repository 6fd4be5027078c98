package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.Sandbox;

/** One sandbox as operators see it: every stored field. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AdminSandboxView(
        String sandboxId,
        String name,
        String externalId,
        String status,
        String allocatedToTrack,
        String trackName,
        String idempotencyKey,
        Long allocatedAt,
        Long expiresAt,
        Long deletionRequestedAt,
        int deletionRetryCount,
        Long lastSynced,
        String sfdcAccountId,
        Long createdAt,
        Long updatedAt,
        Long nextAttemptAt,
        Long staleSince,
        String deletionFailureReason,
        long version,
        int extensionCount,
        String quarantineReason,
        String quarantinedFrom) {

    public static AdminSandboxView of(Sandbox s) {
        return new AdminSandboxView(
                s.id().value(),
                s.name(),
                s.externalId(),
                s.status().wire(),
                s.holder().map(Object::toString).orElse(null),
                s.trackName(),
                s.idempotencyKey(),
                Times.unix(s.allocatedAt()),
                Times.unix(s.expiresAt()),
                Times.unix(s.deletionRequestedAt()),
                s.deletionRetryCount(),
                Times.unix(s.lastSynced()),
                s.sfdcAccountId(),
                Times.unix(s.createdAt()),
                Times.unix(s.updatedAt()),
                Times.unix(s.nextAttemptAt()),
                Times.unix(s.staleSince()),
                s.deletionFailure(),
                s.version(),
                s.extensionCount(),
                s.quarantine() == null ? null : s.quarantine().reason(),
                s.quarantine() == null ? null : s.quarantine().from().wire());
    }
}
