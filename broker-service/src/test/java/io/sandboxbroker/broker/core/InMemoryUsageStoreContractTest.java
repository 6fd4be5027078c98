package io.sandboxbroker.broker.core;

class InMemoryUsageStoreContractTest extends UsageStoreContract {

    @Override
    protected UsageStore store() {
        return new InMemoryUsageStore();
    }
}
