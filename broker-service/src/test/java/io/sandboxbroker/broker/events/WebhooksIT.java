package io.sandboxbroker.broker.events;

import static io.sandboxbroker.broker.support.TestDynamo.client;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.sandboxbroker.broker.core.AnnouncedStates;
import io.sandboxbroker.broker.core.EventService;
import io.sandboxbroker.broker.core.EventType;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.PoolLevel;
import io.sandboxbroker.broker.core.PoolLevelService;
import io.sandboxbroker.broker.core.PoolLevels;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.PoolState;
import io.sandboxbroker.broker.core.PoolWatch;
import io.sandboxbroker.broker.core.RetiredTenants;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.UsageRecorder;
import io.sandboxbroker.broker.core.UsageService;
import io.sandboxbroker.broker.core.Webhook;
import io.sandboxbroker.broker.core.Webhooks;
import io.sandboxbroker.broker.db.DynamoAnnouncedStates;
import io.sandboxbroker.broker.db.DynamoPoolStatsStore;
import io.sandboxbroker.broker.db.DynamoUsageStore;
import io.sandboxbroker.broker.db.DynamoWebhookOutbox;
import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.broker.provider.HttpWebhookSender;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.broker.support.WebhookReceiver;
import io.sandboxbroker.broker.support.WebhookReceiver.Received;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Pool events delivered to a real local HTTP receiver by the pool-stats job's work: signed, retried
 * after 500s, one per crossing however often the job runs, and once per event id.
 */
class WebhooksIT {
    private static final String SECRET = "webhook-secret-for-tests";
    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    private final String table = TestDynamo.uniqueTable("hooks");
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final Pool pool = Pool.of(table);
    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private PoolWatch watch(AnnouncedStates announced) {
        PoolService stats = new PoolService(
                pool.repository(),
                new DynamoPoolStatsStore(client(), table),
                pool.retired(),
                LifecyclePolicy.defaults(),
                clock);
        DynamoUsageStore usageStore = new DynamoUsageStore(client(), table);
        PoolLevelService levels = new PoolLevelService(
                stats,
                new UsageService(usageStore, new UsageRecorder(usageStore), clock),
                new PoolLevels(new PoolLevel(0, null), Map.of("lab-w", new PoolLevel(3, null))));
        return new PoolWatch(stats, levels, events(announced));
    }

    private EventService events(AnnouncedStates announced) {
        return new EventService(
                new DynamoWebhookOutbox(client(), table),
                new HttpWebhookSender(JSON),
                announced,
                new Webhooks(List.of(new Webhook(
                        "ops",
                        receiver.url(),
                        SECRET,
                        Set.of(
                                EventType.POOL_LOW,
                                EventType.POOL_EMPTY,
                                EventType.POOL_RECOVERED,
                                EventType.JOB_STUCK,
                                EventType.TENANT_RETIRED_STILL_LISTED)))),
                clock);
    }

    private void takeAvailable(int count) {
        pool.all(SandboxStatus.AVAILABLE).stream()
                .limit(count)
                .forEach(s -> pool.repository().deleteIfStatus(s.id(), SandboxStatus.AVAILABLE));
    }

    private static JsonNode body(Received received) throws IOException {
        return JSON.readTree(received.body());
    }

    private Map<String, AttributeValue> deliveryRecord(String eventId) {
        return client().getItem(b -> b.tableName(table)
                        .key(Map.of(
                                PoolTable.PK,
                                AttributeValue.fromS("WEBHOOKS"),
                                PoolTable.SK,
                                AttributeValue.fromS(eventId + "#ops"))))
                .item();
    }

    @Test
    void poolLow_signed_retriedAfter500s_deliveredOnce_thenEmpty_thenRecovered() throws IOException {
        PoolTable.createIfMissing(client(), table);
        PoolWatch watch = watch(new DynamoAnnouncedStates(client(), table));
        pool.seed("lab-w", 4);
        watch.run();
        assertThat(receiver.received())
                .as("4 available, low water 3: ok, nothing to say")
                .isEmpty();

        takeAvailable(2);
        receiver.failNext(2);
        watch.run();
        assertThat(receiver.received()).hasSize(1).allMatch(r -> r.answered() == 500);
        watch.run();
        assertThat(receiver.received())
                .as("not due again yet, and still low: no new event")
                .hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        watch.run();
        clock.advance(Duration.ofSeconds(61));
        watch.run();

        List<Received> posts = receiver.received();
        assertThat(posts).extracting(Received::answered).containsExactly(500, 500, 204);
        assertThat(posts)
                .extracting(r -> new String(r.body()))
                .as("the same body each attempt")
                .containsOnly(new String(posts.get(0).body()));
        Received low = posts.get(2);
        assertThat(low.header(HttpWebhookSender.SIGNATURE))
                .isEqualTo("sha256=" + HttpWebhookSender.sign(SECRET, low.body()));
        assertThat(low.header(HttpWebhookSender.SIGNATURE))
                .isNotEqualTo("sha256=" + HttpWebhookSender.sign("another-secret-entirely", low.body()));
        JsonNode event = body(low);
        assertThat(event.path("type").asText()).isEqualTo("pool.low");
        assertThat(event.path("id").asText()).isEqualTo(low.header(HttpWebhookSender.EVENT_ID));
        assertThat(event.path("time").isIntegralNumber()).isTrue();
        assertThat(event.path("details").path("pool").asText()).isEqualTo("lab-w");
        assertThat(event.path("details").path("available").asLong()).isEqualTo(2);
        assertThat(event.path("details").path("low_water").asLong()).isEqualTo(3);
        Map<String, AttributeValue> record = deliveryRecord(event.path("id").asText());
        assertThat(record.get("status").s()).isEqualTo("delivered");
        assertThat(record.get("attempts").n()).isEqualTo("3");

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(5));
            watch.run();
        }
        assertThat(receiver.received())
                .as("a pool that stays low is announced once")
                .hasSize(3);

        takeAvailable(2);
        watch.run();
        pool.seed("lab-w", 5);
        watch.run();

        List<Received> later =
                receiver.received().subList(3, receiver.received().size());
        assertThat(later).extracting(Received::answered).containsOnly(204);
        assertThat(later)
                .extracting(r -> body(r).path("type").asText())
                .containsExactly("pool.empty", "pool.recovered");
        assertThat(body(later.get(1)).path("details").path("available").asLong())
                .isEqualTo(5);
        assertThat(receiver.received().stream()
                        .filter(r -> r.answered() == 204)
                        .map(r -> r.header(HttpWebhookSender.EVENT_ID))
                        .toList())
                .as("each event taken once; retries reuse the id")
                .hasSize(3)
                .doesNotHaveDuplicates();
    }

    @Test
    void retiredTenantsListedAgain_announcedOnce_untilTheListIsClearAndTheyReturn() throws IOException {
        PoolTable.createIfMissing(client(), table);
        pool.seed("lab-w", 4);
        pool.retired()
                .recordStillListed(new RetiredTenants.StillListed(
                        2, List.of(new SandboxId("7001"), new SandboxId("7002")), clock.instant()));
        watch(new DynamoAnnouncedStates(client(), table)).run();
        watch(new DynamoAnnouncedStates(client(), table)).run();

        List<Received> posts = receiver.received();
        assertThat(posts).hasSize(1);
        JsonNode event = body(posts.get(0));
        assertThat(event.path("type").asText()).isEqualTo("tenant.retired_still_listed");
        assertThat(event.path("details").path("count").asLong()).isEqualTo(2);
        assertThat(event.path("details").path("sample").asText()).isEqualTo("7001,7002");

        clock.advance(Duration.ofMinutes(10));
        pool.retired().recordStillListed(new RetiredTenants.StillListed(0, List.of(), clock.instant()));
        watch(new DynamoAnnouncedStates(client(), table)).run();
        clock.advance(Duration.ofMinutes(10));
        pool.retired()
                .recordStillListed(new RetiredTenants.StillListed(1, List.of(new SandboxId("7003")), clock.instant()));
        watch(new DynamoAnnouncedStates(client(), table)).run();

        assertThat(receiver.received()).hasSize(2);
        assertThat(body(receiver.received().get(1))
                        .path("details")
                        .path("sample")
                        .asText())
                .isEqualTo("7003");
    }

    @Test
    void anAnnouncementThatDiedBeforeStoringTheNewStates_isRepeatedUnderTheSameId_andDeliveredOnce() {
        PoolTable.createIfMissing(client(), table);
        DynamoAnnouncedStates stored = new DynamoAnnouncedStates(client(), table);
        AtomicBoolean dieOnce = new AtomicBoolean(true);
        AnnouncedStates dying = new AnnouncedStates() {
            @Override
            public Optional<Snapshot> read() {
                return stored.read();
            }

            @Override
            public boolean write(long expected, Map<String, PoolState> states, long retiredStillListed) {
                if (dieOnce.getAndSet(false)) {
                    throw new IllegalStateException("the process died here");
                }
                return stored.write(expected, states, retiredStillListed);
            }
        };
        PoolWatch watch = watch(dying);
        pool.seed("lab-w", 1);

        try {
            watch.run();
        } catch (IllegalStateException died) {
            // the events were stored, the states were not
        }
        watch.run();

        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).header(HttpWebhookSender.EVENT_TYPE))
                .isEqualTo("pool.low");
        assertThat(stored.read().orElseThrow().states()).containsEntry("lab-w", PoolState.LOW);
    }

    @Test
    void aStuckJob_isAnnouncedOncePerEpisode_howeverOftenItIsSeenStuck() throws IOException {
        PoolTable.createIfMissing(client(), table);
        EventService events = events(new DynamoAnnouncedStates(client(), table));
        Instant lastSuccess = clock.instant().minus(Duration.ofMinutes(30));

        for (int run = 0; run < 3; run++) {
            events.announceStuckJob("cleanup", Optional.of(lastSuccess), Duration.ofMinutes(5));
            events.deliver();
        }

        assertThat(receiver.received()).hasSize(1);
        JsonNode stuck = body(receiver.received().get(0));
        assertThat(stuck.path("type").asText()).isEqualTo("job.stuck");
        assertThat(stuck.path("details").path("job").asText()).isEqualTo("cleanup");
        assertThat(stuck.path("details").path("last_success").asLong()).isEqualTo(lastSuccess.getEpochSecond());
        assertThat(stuck.path("details").path("every_seconds").asLong()).isEqualTo(300);

        // It ran again, then got stuck again: a new episode, a new event.
        events.announceStuckJob(
                "cleanup", Optional.of(lastSuccess.plus(Duration.ofMinutes(20))), Duration.ofMinutes(5));
        events.deliver();
        assertThat(receiver.received()).hasSize(2);
    }
}
