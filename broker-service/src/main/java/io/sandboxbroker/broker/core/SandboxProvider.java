package io.sandboxbroker.broker.core;

import java.util.List;

/** Port: the cloud portal that creates and deletes sandboxes. */
public interface SandboxProvider {

    /** Every active sandbox account, all pages. */
    List<ProviderSandbox> activeSandboxes();

    /**
     * Deletes the sandbox with this external id ({@code identity/accounts/<uuid>}). Never throws for
     * a provider-side failure (HTTP error, timeout, unreachable): the result classifies it, so the
     * cleanup job can retry transient failures and give up on permanent ones per sandbox.
     */
    DeletionResult delete(String externalId);

    /**
     * False while deletes are known to fail (a circuit breaker is open): the cleanup then leaves the
     * remaining sandboxes untouched instead of spending clean-ups and attempts on them.
     */
    default boolean acceptsDeletes() {
        return true;
    }
}
