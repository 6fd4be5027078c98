package io.sandboxbroker.broker.db;

import io.sandboxbroker.broker.config.DynamoConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the DynamoDB client from configuration: AWS in production, dynalite locally. */
public final class DynamoClients {
    private DynamoClients() {}

    /**
     * Retries are explicit rather than the SDK's defaults: a bounded number of attempts with
     * exponential, fully jittered backoff (longer after throttling), inside an attempt and a call
     * timeout. Every conditional write of the broker recognises its own earlier applied attempt,
     * so retrying a write whose answer was lost is safe.
     */
    public static DynamoDbClient build(
            DynamoConfig config, DynamoAttemptMetrics attempts, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(config.attemptTimeout().toJavaDuration())
                .apiCallTimeout(config.callTimeout().toJavaDuration())
                .scheduledExecutorService(TimeoutTimer.shared())
                .retryStrategy(attempts.counting(retryStrategy(config)));
        for (ExecutionInterceptor interceptor : interceptors) {
            overrides.addExecutionInterceptor(interceptor);
        }
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(config.region()))
                .overrideConfiguration(overrides.build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(config.maxConnections())
                        .connectionTimeout(Duration.ofSeconds(2))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(5)));
        if (config.endpoint() != null && !config.endpoint().isBlank()) {
            // dynalite (local runs and tests) accepts any static credentials.
            builder.endpointOverride(java.net.URI.create(config.endpoint()))
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    static RetryStrategy retryStrategy(DynamoConfig config) {
        java.time.Duration max = config.backoffMax().toJavaDuration();
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(config.maxAttempts())
                .backoffStrategy(
                        BackoffStrategy.exponentialDelay(config.backoffBase().toJavaDuration(), max))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                        config.throttleBackoffBase().toJavaDuration(), max))
                .build();
    }
}
