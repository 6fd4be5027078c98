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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who a rate limit believes a caller is: each lab token (by its configured name) has its own
 * bucket, and a forwarded address is believed only from a peer inside the trusted proxy ranges.
 * Here the tests connect from the loopback, which is outside {@code 10.0.0.0/8}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeTrustIT {
    private static final int ADDRESS_BURST = 20;
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(
            TestDynamo.uniqueTable("edgetrust"),
            ConfigOverride.config("edge.rateLimit.trustedProxies", "10.0.0.0/8"),
            ConfigOverride.config("edge.rateLimit.perClient.burst", "3"),
            ConfigOverride.config("edge.rateLimit.perClient.perMinute", "1"),
            ConfigOverride.config("edge.rateLimit.perAddress.burst", Integer.toString(ADDRESS_BURST)),
            ConfigOverride.config("edge.rateLimit.perAddress.perMinute", "1"));

    private static Reply read(String token, String learner) {
        return LabClient.at(APP.getLocalPort())
                .with("Authorization", "Bearer " + token)
                .with("X-Instruqt-Sandbox-ID", learner)
                .with("X-Instruqt-Track-ID", "dns-basics")
                .get("/v1/sandboxes/404404");
    }

    @Test
    @Order(1)
    void eachLabToken_hasItsOwnClientBucket_evenWithTheSameScope() {
        for (int i = 0; i < 3; i++) {
            assertThat(read("test-dns-track-token", "edge-learner-" + i).status())
                    .isNotEqualTo(429);
        }
        Reply limited = read("test-dns-track-token", "edge-learner-x");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMIT_EXCEEDED");

        assertThat(read("test-dns-track-token-next", "edge-learner-0").status()).isEqualTo(404);
        assertThat(read(BrokerTestApp.LAB_TOKEN, "edge-learner-0").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void forwardedFor_fromAnUntrustedPeer_ignored_everyRequestCountsAgainstThePeer() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i <= ADDRESS_BURST; i++) {
            statuses.add(LabClient.at(APP.getLocalPort())
                    .with("X-Forwarded-For", "203.0.113." + (i + 1))
                    .get("/v1/openapi.json")
                    .status());
        }
        // Believed, each request would have had a fresh bucket of its own and none would be refused.
        assertThat(statuses).contains(429);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(429);
    }
}
