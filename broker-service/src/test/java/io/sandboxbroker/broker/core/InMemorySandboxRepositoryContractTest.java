package io.sandboxbroker.broker.core;

/** The sandbox repository contract against the in-memory repository the core's unit tests use. */
class InMemorySandboxRepositoryContractTest extends SandboxRepositoryContract {
    @Override
    protected SandboxRepository newRepository() {
        return new InMemorySandboxRepository();
    }
}
