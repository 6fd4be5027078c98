package io.sandboxbroker.broker.core;

import java.time.Instant;

/** An active sandbox account as the provider lists it. */
public record ProviderSandbox(SandboxId id, String name, String externalId, String sfdcAccountId, Instant createdAt) {}
