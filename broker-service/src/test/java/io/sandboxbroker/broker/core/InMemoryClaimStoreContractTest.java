package io.sandboxbroker.broker.core;

/** The claim store contract against the in-memory store the core's unit tests use. */
class InMemoryClaimStoreContractTest extends ClaimStoreContract {
    @Override
    protected ClaimStore newStore() {
        return new InMemoryClaimStore();
    }
}
