package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.TestDynamo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Small buckets that refill one token a minute, so nothing refills while a test runs. Each test
 * comes from its own address (the loopback is a trusted proxy here, so X-Forwarded-For counts) and,
 * where it matters, with its own token, so the tests do not share buckets.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RateLimitIT {
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(
            TestDynamo.uniqueTable("ratelimit"),
            ConfigOverride.config("edge.rateLimit.trustedProxies", "127.0.0.0/8, ::1"),
            ConfigOverride.config("edge.rateLimit.perLearner.burst", "3"),
            ConfigOverride.config("edge.rateLimit.perLearner.perMinute", "1"),
            ConfigOverride.config("edge.rateLimit.perClient.burst", "6"),
            ConfigOverride.config("edge.rateLimit.perClient.perMinute", "1"),
            ConfigOverride.config("edge.rateLimit.perAddress.burst", "10"),
            ConfigOverride.config("edge.rateLimit.perAddress.perMinute", "1"));

    private static LabClient from(String address) {
        return LabClient.at(APP.getLocalPort()).with("X-Forwarded-For", address);
    }

    private static void assertRateLimited(Reply reply) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(429);
        assertThat(reply.code()).isEqualTo("RATE_LIMIT_EXCEEDED");
        long retryAfter = reply.body().path("detail").path("retry_after").asLong();
        assertThat(retryAfter).isPositive();
        assertThat(reply.header("Retry-After")).isEqualTo(Long.toString(retryAfter));
        assertThat(reply.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(reply.body().path("detail").path("request_id").asText()).isEqualTo(reply.header("X-Request-ID"));
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.header("Content-Security-Policy")).contains("default-src 'none'");
    }

    @Test
    void learner_burstThen429_withHeadersAndEnvelope() {
        LabClient learner = from("198.51.100.1")
                .with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN)
                .with("X-Instruqt-Sandbox-ID", "busy-learner");
        for (int i = 0; i < 3; i++) {
            Reply reply = learner.get("/v1/sandboxes/1");
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(reply.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(2 - i));
        }
        assertRateLimited(learner.get("/v1/sandboxes/1"));
        // The legacy learner header names the same learner.
        assertRateLimited(from("198.51.100.1")
                .with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN)
                .with("X-Track-ID", "busy-learner")
                .get("/v1/sandboxes/1"));
    }

    @Test
    void rotatingTheLearnerHeader_hitsTheClientLimit() {
        LabClient client = from("198.51.100.2").with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN_ROTATED);
        int passed = 0;
        Reply last = null;
        for (int i = 0; i < 9; i++) {
            last = client.with("X-Instruqt-Sandbox-ID", "fresh-learner-" + i).get("/v1/sandboxes/1");
            if (last.status() != 429) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(6);
        assertRateLimited(last);
        assertThat(last.header("X-RateLimit-Limit")).isEqualTo("6");
    }

    @Test
    void address_limitsUnauthenticatedRequestsToo_andSpoofedHopsDoNotHelp() {
        for (int i = 0; i < 10; i++) {
            // A client prepending its own X-Forwarded-For entries: only the hop the proxy added counts.
            Reply reply = from("192.0.2." + i + ", 203.0.113.5").post("/v1/allocate");
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.header("X-RateLimit-Limit")).isEqualTo("10");
        }
        assertRateLimited(from("203.0.113.5").post("/v1/allocate"));
        assertRateLimited(from("203.0.113.5").get("/v1/openapi.json"));
        assertThat(from("203.0.113.6").post("/v1/allocate").status()).isEqualTo(401);
    }

    @Test
    void healthReadinessAndMetrics_areExempt() {
        LabClient prober = from("203.0.113.77");
        for (int i = 0; i < 15; i++) {
            for (String path : new String[] {"/healthz", "/readyz", "/metrics"}) {
                Reply reply = prober.get(path);
                assertThat(reply.status()).as(path).isEqualTo(200);
                assertThat(reply.header("X-RateLimit-Limit")).as(path).isNull();
            }
        }
    }
}
