package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.config.RateLimitConfig;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.ShippedConfig;
import io.sandboxbroker.broker.support.TestDynamo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production rate limits (read from {@code config/production.yml}, nothing overridden but the
 * proxy list) against the traffic they are sized for: a class of 1,000 learners starting within a
 * minute on the one lab token all tracks share, behind 4 NAT addresses, through 2 API processes.
 * The loopback stands in for the load balancer, so {@code X-Forwarded-For} names the learner's
 * address. The requests go out as fast as the machine sends them, far inside the minute, so
 * only the buckets' sizes, not their refill, let them through.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClassStartRateLimitIT {
    private static final int CLASS_SIZE = 1_000;
    private static final List<String> NAT_ADDRESSES =
            List.of("198.51.100.10", "198.51.100.11", "203.0.113.20", "203.0.113.21");
    private static final String TABLE = TestDynamo.uniqueTable("classstart");
    private static final RateLimitConfig PRODUCTION =
            ShippedConfig.productionDefaults().edge().rateLimit();
    static final DropwizardAppExtension<BrokerConfiguration> API_ONE = api();
    static final DropwizardAppExtension<BrokerConfiguration> API_TWO = api();
    private static final ExecutorService LEARNERS = Executors.newFixedThreadPool(16);

    private static DropwizardAppExtension<BrokerConfiguration> api() {
        return BrokerTestApp.extension(
                TABLE,
                ConfigOverride.config("edge.rateLimit.trustedProxies", "127.0.0.0/8"),
                ConfigOverride.config(
                        "edge.rateLimit.perLearner.burst",
                        Long.toString(PRODUCTION.perLearner().burst())),
                ConfigOverride.config(
                        "edge.rateLimit.perLearner.perMinute",
                        Long.toString(PRODUCTION.perLearner().perMinute())),
                ConfigOverride.config(
                        "edge.rateLimit.perClient.burst",
                        Long.toString(PRODUCTION.perClient().burst())),
                ConfigOverride.config(
                        "edge.rateLimit.perClient.perMinute",
                        Long.toString(PRODUCTION.perClient().perMinute())),
                ConfigOverride.config(
                        "edge.rateLimit.perAddress.burst",
                        Long.toString(PRODUCTION.perAddress().burst())),
                ConfigOverride.config(
                        "edge.rateLimit.perAddress.perMinute",
                        Long.toString(PRODUCTION.perAddress().perMinute())));
    }

    @AfterAll
    static void stop() {
        LEARNERS.shutdownNow();
    }

    /** Learner i goes to process i % 2 (round robin) from NAT address (i / 2) % 4, so every address reaches both. */
    private static LabClient learner(int i) {
        int port = (i % 2 == 0 ? API_ONE : API_TWO).getLocalPort();
        return LabClient.at(port)
                .with("X-Forwarded-For", NAT_ADDRESSES.get((i / 2) % NAT_ADDRESSES.size()))
                .with("X-Instruqt-Track-ID", "class-start")
                .with("X-Sandbox-Name-Prefix", "class")
                .lab("class-learner-" + i);
    }

    @Test
    void aClassOf1000_from4Addresses_through2Processes_seesNo429_whileOneLearnersBurstIsLimited() throws Exception {
        assertThat(PRODUCTION.enabled()).isTrue();
        // The sizing rule next to the settings: each process could take the whole class alone.
        assertThat(PRODUCTION.perClient().burst()).isGreaterThanOrEqualTo(2L * CLASS_SIZE);
        assertThat(PRODUCTION.perAddress().burst()).isGreaterThanOrEqualTo(CLASS_SIZE);
        Pool.of(TABLE).seed("class", CLASS_SIZE);

        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < CLASS_SIZE; i++) {
            int learner = i;
            replies.add(LEARNERS.submit(() -> learner(learner).post("/v1/allocate")));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<Reply> reply : replies) {
            statuses.merge(reply.get().status(), 1, Integer::sum);
        }

        assertThat(statuses).isEqualTo(Map.of(201, CLASS_SIZE));

        // One learner repeating its call in a loop is still stopped, by its own bucket (the loop
        // outruns the bucket's refill of a few tokens a second by far).
        LabClient busy = learner(0);
        Reply last = busy.post("/v1/allocate");
        for (long i = 0; i < 2 * PRODUCTION.perLearner().burst() && last.status() != 429; i++) {
            last = busy.post("/v1/allocate");
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.code()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(last.header("X-RateLimit-Limit"))
                .isEqualTo(Long.toString(PRODUCTION.perLearner().burst()));
        // Its classmates on the same token and address are not.
        assertThat(learner(2).post("/v1/allocate").status()).isEqualTo(200);
    }
}
