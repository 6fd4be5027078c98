package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pool levels from the server: every pool against its configured low water, emptiest first, with
 * the last hour's allocations and the time to empty; and the per-track summary.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolLevelsIT {
    private static final String TABLE = TestDynamo.uniqueTable("levels");
    // Mid-hour, so the allocations and the release fall into one UTC hour.
    private static final MutableClock CLOCK =
            new MutableClock(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(50)));
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(
            CLOCK,
            TABLE,
            ConfigOverride.config("pools.defaults.lowWater", "5"),
            ConfigOverride.config("pools.groups.lab-big.lowWater", "3"),
            ConfigOverride.config("pools.groups.lab-big.target", "20"),
            ConfigOverride.config("pools.groups.lab-planned.lowWater", "2"));
    private static final List<String> BIG_SANDBOXES = new ArrayList<>();

    @BeforeAll
    static void seedAndAllocate() {
        Pool pool = Pool.of(TABLE);
        pool.seed("lab-big", 10);
        pool.seed("lab-small", 4);
        pool.seed("lab-drained", 1);
        assertThat(lab("lab-drained", "drain-learner", "dhcp-intro")
                        .post("/v1/allocate")
                        .status())
                .isEqualTo(201);
        for (int i = 0; i < 4; i++) {
            Reply allocated = lab("lab-big", "big-learner-" + i, "dns-basics").post("/v1/allocate");
            assertThat(allocated.status()).isEqualTo(201);
            BIG_SANDBOXES.add(allocated.text("sandbox_id"));
        }
        Reply replay = lab("lab-big", "big-learner-0", "dns-basics").post("/v1/allocate");
        assertThat(replay.status()).as("a replay is no new allocation").isEqualTo(200);
    }

    private static LabClient lab(String prefix, String learner, String track) {
        return LabClient.at(APP.getLocalPort())
                .with("X-Sandbox-Name-Prefix", prefix)
                .with("X-Instruqt-Track-ID", track)
                .lab(learner);
    }

    private static LabClient admin() {
        return LabClient.at(APP.getLocalPort()).admin();
    }

    private static Map<String, JsonNode> byGroup(JsonNode pools) {
        Map<String, JsonNode> byGroup = new HashMap<>();
        pools.forEach(pool -> byGroup.put(pool.path("group").asText(), pool));
        return byGroup;
    }

    @Test
    @Order(1)
    void pools_everyGroupAgainstItsLowWater_emptyFirst_thenLow() {
        Reply reply = admin().get("/v1/admin/pools");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode pools = reply.body().path("pools");
        List<String> order = new ArrayList<>();
        pools.forEach(pool -> order.add(pool.path("group").asText()));
        assertThat(order).containsExactly("lab-drained", "lab-planned", "lab-small", "lab-big");
        assertThat(reply.body().path("computed_at").isIntegralNumber()).isTrue();

        Map<String, JsonNode> groups = byGroup(pools);
        JsonNode big = groups.get("lab-big");
        assertThat(big.path("available").asLong()).isEqualTo(6);
        assertThat(big.path("allocated").asLong()).isEqualTo(4);
        assertThat(big.path("low_water").asLong()).isEqualTo(3);
        assertThat(big.path("target").asLong()).isEqualTo(20);
        assertThat(big.path("allocations_last_hour").asLong()).isEqualTo(4);
        assertThat(big.path("seconds_to_empty").isIntegralNumber()).isTrue();
        assertThat(big.path("seconds_to_empty").asLong())
                .as("6 left at 4 an hour")
                .isEqualTo(5400);
        assertThat(big.path("state").asText()).isEqualTo("ok");

        JsonNode small = groups.get("lab-small");
        assertThat(small.path("state").asText())
                .as("4 available, below the default low water 5")
                .isEqualTo("low");
        assertThat(small.path("low_water").asLong()).isEqualTo(5);
        assertThat(small.path("target").isNull()).isTrue();
        assertThat(small.path("seconds_to_empty").isNull())
                .as("nothing allocated in the last hour")
                .isTrue();

        JsonNode drained = groups.get("lab-drained");
        assertThat(drained.path("state").asText()).isEqualTo("empty");
        assertThat(drained.path("allocated").asLong()).isEqualTo(1);
        assertThat(drained.path("seconds_to_empty").asLong()).isZero();

        JsonNode planned = groups.get("lab-planned");
        assertThat(planned.path("state").asText())
                .as("listed in the config, no sandbox yet")
                .isEqualTo("empty");
        assertThat(planned.path("available").asLong()).isZero();
    }

    @Test
    @Order(2)
    void tracks_allocationsPerTrack_andMeanTimeToRelease() {
        CLOCK.advance(Duration.ofMinutes(20));
        Reply released = lab("lab-big", "big-learner-1", "dns-basics")
                .post("/v1/sandboxes/" + BIG_SANDBOXES.get(1) + "/mark-for-deletion");
        assertThat(released.status()).isEqualTo(200);

        Reply reply = admin().get("/v1/admin/tracks");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("computed_at").isIntegralNumber()).isTrue();
        JsonNode tracks = reply.body().path("tracks");
        assertThat(tracks).hasSize(2);
        JsonNode dns = tracks.get(0);
        assertThat(dns.path("track").asText()).isEqualTo("dns-basics");
        assertThat(dns.path("allocations_24h").asLong()).isEqualTo(4);
        assertThat(dns.path("allocations_7d").asLong()).isEqualTo(4);
        assertThat(dns.path("releases_7d").asLong()).isEqualTo(1);
        assertThat(dns.path("mean_seconds_to_release").asLong()).isEqualTo(20 * 60);
        JsonNode dhcp = tracks.get(1);
        assertThat(dhcp.path("track").asText()).isEqualTo("dhcp-intro");
        assertThat(dhcp.path("allocations_7d").asLong()).isEqualTo(1);
        assertThat(dhcp.path("mean_seconds_to_release").isNull()).isTrue();

        JsonNode hourly = reply.body().path("hourly");
        assertThat(hourly).hasSize(24);
        JsonNode currentHour = hourly.get(23);
        assertThat(currentHour.path("hour").asLong())
                .isEqualTo(CLOCK.instant().truncatedTo(ChronoUnit.HOURS).getEpochSecond());
        assertThat(currentHour.path("allocations").asLong()).isEqualTo(5);
        assertThat(hourly.get(0).path("allocations").asLong()).isZero();
    }

    @Test
    @Order(3)
    void bothNeedTheAdminToken() {
        assertThat(LabClient.at(APP.getLocalPort()).get("/v1/admin/pools").status())
                .isEqualTo(401);
        assertThat(lab("lab-big", "big-learner-0", "dns-basics")
                        .get("/v1/admin/tracks")
                        .code())
                .isEqualTo("FORBIDDEN");
    }
}
