package io.sandboxbroker.broker.support;

import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoRetiredTenants;
import io.sandboxbroker.broker.db.DynamoSandboxRepository;
import io.sandboxbroker.broker.db.PoolTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Seeds and inspects a pool table directly, the way sync and an operator would see it. */
public final class Pool {
    private static final AtomicLong IDS = new AtomicLong(1_000_000);

    private final DynamoSandboxRepository repository;
    private final DynamoRetiredTenants retired;

    public Pool(DynamoDbClient dynamo, String table) {
        PoolTable.createIfMissing(dynamo, table);
        this.repository = new DynamoSandboxRepository(dynamo, table, 8);
        this.retired = new DynamoRetiredTenants(dynamo, table);
    }

    public static Pool of(String table) {
        return new Pool(TestDynamo.client(), table);
    }

    public DynamoSandboxRepository repository() {
        return repository;
    }

    /** Adds {@code count} available sandboxes named {@code group-0001…}; returns their ids. */
    public List<SandboxId> seed(String group, int count) {
        return seed(group, count, true);
    }

    /** As {@link #seed(String, int)}; without a Salesforce account id when {@code withSfdc} is false. */
    public List<SandboxId> seed(String group, int count, boolean withSfdc) {
        List<SandboxId> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            SandboxId id = new SandboxId(Long.toString(IDS.incrementAndGet()));
            repository.addIfAbsent(
                    new ProviderSandbox(
                            id,
                            String.format("%s-%04d", group, i),
                            "identity/accounts/" + UUID.randomUUID(),
                            withSfdc ? "sfdc-" + id : null,
                            Instant.now()),
                    Instant.now());
            ids.add(id);
        }
        return ids;
    }

    public DynamoRetiredTenants retired() {
        return retired;
    }

    public List<Sandbox> all(SandboxStatus status) {
        List<Sandbox> found = new ArrayList<>();
        repository.forEach(status, found::add);
        return found;
    }
}
