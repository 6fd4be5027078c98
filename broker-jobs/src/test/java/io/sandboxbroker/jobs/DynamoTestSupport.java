package io.sandboxbroker.jobs;

import io.sandboxbroker.jobs.store.table.QuartzTable;
import io.sandboxbroker.testkit.Dynalite;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** DynamoDB clients and fresh tables against a dynalite endpoint. Reusable by broker-service through the test-jar. */
public final class DynamoTestSupport {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private DynamoTestSupport() {}

    public static DynamoDbClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        ClientOverrideConfiguration.Builder override =
                ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(20));
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        return builder.overrideConfiguration(override.build()).build();
    }

    public static DynamoDbClient client(Dynalite dynalite) {
        return client(dynalite.endpoint());
    }

    /** Creates a table with a name unique in this JVM and returns the name. */
    public static String freshTable(DynamoDbClient client, String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
        QuartzTable.createIfMissing(client, name);
        return name;
    }
}
