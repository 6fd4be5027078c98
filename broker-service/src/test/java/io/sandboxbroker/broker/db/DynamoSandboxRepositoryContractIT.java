package io.sandboxbroker.broker.db;

import io.sandboxbroker.broker.core.SandboxRepository;
import io.sandboxbroker.broker.core.SandboxRepositoryContract;
import io.sandboxbroker.broker.support.TestDynamo;

/** The sandbox repository contract against DynamoDB (dynalite); one table per case. */
class DynamoSandboxRepositoryContractIT extends SandboxRepositoryContract {
    @Override
    protected SandboxRepository newRepository() {
        String table = TestDynamo.uniqueTable("repo-contract");
        PoolTable.createIfMissing(TestDynamo.client(), table);
        return new DynamoSandboxRepository(TestDynamo.client(), table, 4);
    }
}
