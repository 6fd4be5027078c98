package io.sandboxbroker.broker.core;

/**
 * Port: removes what a sandbox still runs (NIOSXaaS universal services) before the provider
 * deletes it, so that nothing billable outlives the account.
 */
public interface SandboxCleaner {

    /**
     * Cleans the sandbox with this external id ({@code identity/accounts/<uuid>}). Never throws for
     * a provider-side failure: it returns {@code FAILED}, because the clean-up must never block the
     * delete that follows it.
     */
    CleanupOutcome clean(String externalId);
}
