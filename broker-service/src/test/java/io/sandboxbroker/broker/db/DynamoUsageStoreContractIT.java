package io.sandboxbroker.broker.db;

import io.sandboxbroker.broker.core.UsageStore;
import io.sandboxbroker.broker.core.UsageStoreContract;
import io.sandboxbroker.broker.support.TestDynamo;

/** The usage store contract against DynamoDB (dynalite); one table per case. */
class DynamoUsageStoreContractIT extends UsageStoreContract {
    @Override
    protected UsageStore store() {
        String table = TestDynamo.uniqueTable("usage-contract");
        PoolTable.createIfMissing(TestDynamo.client(), table);
        return new DynamoUsageStore(TestDynamo.client(), table);
    }
}
