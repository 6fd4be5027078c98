package io.sandboxbroker.jobs;

import io.sandboxbroker.testkit.Dynalite;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A dynalite process and a client for one test class: {@code @RegisterExtension static final DynaliteExtension}. */
public final class DynaliteExtension implements BeforeAllCallback, AfterAllCallback {
    private Dynalite dynalite;
    private DynamoDbClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        dynalite = Dynalite.start();
        client = DynamoTestSupport.client(dynalite);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        dynalite.close();
    }

    public DynamoDbClient client() {
        return client;
    }

    public Dynalite dynalite() {
        return dynalite;
    }
}
