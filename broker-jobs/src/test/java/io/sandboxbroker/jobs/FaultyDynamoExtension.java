package io.sandboxbroker.jobs;

import io.sandboxbroker.testkit.Dynalite;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite behind a {@link FaultProxy} that behaves like DynamoDB on a bad day, for one test class:
 * writes applied then answered 500 or with a dropped connection or a stall past the attempt timeout
 * (so the SDK retries a write that happened), index reads 0.2–3 s behind the table, throttling
 * bursts. {@link #client()} goes through the proxy; {@link #direct()} reads dynalite itself, for assertions.
 */
public final class FaultyDynamoExtension implements BeforeAllCallback, AfterAllCallback {
    /** Shorter than the stall, so a stalled attempt is retried. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private final long seed;
    private Dynalite dynalite;
    private FaultProxy proxy;
    private DynamoDbClient client;
    private DynamoDbClient direct;

    public FaultyDynamoExtension(long seed) {
        this.seed = seed;
    }

    /** The faults every broker-jobs guarantee is re-proven under. */
    public static List<Fault> badDay() {
        return List.of(
                Fault.appliedThen500().probability(0.08),
                Fault.appliedThenReset().probability(0.03),
                Fault.appliedThenStall(ATTEMPT_TIMEOUT.plusSeconds(1)).probability(0.003),
                Fault.indexLag(Duration.ofMillis(200), Duration.ofSeconds(3)),
                Fault.throttling().probability(0.005).burst(3),
                Fault.provisionedThroughputExceeded().probability(0.005).burst(2));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dynalite = Dynalite.start();
        proxy = FaultProxy.start(dynalite.endpoint(), seed, badDay());
        client = client(proxy);
        direct = DynamoTestSupport.client(dynalite);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.out.println(context.getDisplayName() + " " + proxy);
        client.close();
        direct.close();
        proxy.close();
        dynalite.close();
    }

    /** A client as production configures one, through the proxy. */
    public static DynamoDbClient client(FaultProxy proxy) {
        return DynamoDbClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(Duration.ofSeconds(30))
                        .build())
                .build();
    }

    public DynamoDbClient client() {
        return client;
    }

    public DynamoDbClient direct() {
        return direct;
    }

    public FaultProxy proxy() {
        return proxy;
    }
}
