package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.provider.CspClient;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.Account;
import io.sandboxbroker.testkit.provider.FakeProvider;
import io.sandboxbroker.testkit.provider.FakeProviderConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sync running again and again, with accounts vanishing and coming back, while 200 learners
 * allocate through the real application over HTTP: no allocated sandbox ever returns to the pool.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SyncRaceIT {
    private static final String TABLE = TestDynamo.uniqueTable("syncrace");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);
    private static final FakeProvider FAKE = FakeProvider.start();
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(33);

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
        FAKE.close();
    }

    @Test
    void sync_racing200ConcurrentAllocations_neverReturnsAnAllocatedSandboxToThePool() throws Exception {
        Pool pool = Pool.of(TABLE);
        List<Account> accounts = FAKE.addSandboxes("race", 240);
        SyncService sync = new SyncService(
                new CspClient(
                        new CspConfig(
                                FAKE.cspBaseUri().toString(),
                                FakeProviderConfig.DEFAULT_CSP_TOKEN,
                                Duration.seconds(2),
                                Duration.seconds(10)),
                        Jackson.newObjectMapper()),
                pool.repository(),
                pool.retired(),
                Clock.systemUTC());
        sync.sync();
        LabClient lab = LabClient.at(APP.getLocalPort());

        AtomicBoolean allocating = new AtomicBoolean(true);
        AtomicInteger syncs = new AtomicInteger();
        Future<?> syncer = THREADS.submit(() -> {
            int round = 0;
            while (allocating.get()) {
                // A rolling fifth of the accounts vanishes for one sync and comes back for the next.
                List<Account> vanishing = accounts.subList((round % 5) * 48, (round % 5 + 1) * 48);
                vanishing.forEach(a -> FAKE.removeAccount(a.uuid()));
                sync.sync();
                vanishing.forEach(a -> FAKE.reviveAccount(a.uuid()));
                sync.sync();
                syncs.addAndGet(2);
                round++;
            }
            return null;
        });
        List<Future<Reply>> pending = IntStream.range(0, 200)
                .mapToObj(i -> THREADS.submit(() -> lab.lab("race-learner-" + i).post("/v1/allocate")))
                .toList();
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> reply : pending) {
            replies.add(reply.get());
        }
        allocating.set(false);
        syncer.get();
        sync.sync();

        assertThat(syncs.get()).as("syncs ran during the allocations").isGreaterThanOrEqualTo(2);
        assertThat(replies).extracting(Reply::status).isSubsetOf(201, 409);
        List<String> handedOut = replies.stream()
                .filter(r -> r.status() == 201)
                .map(r -> r.text("sandbox_id"))
                .toList();
        assertThat(handedOut).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(150);
        Map<String, Sandbox> allocated =
                pool.all(SandboxStatus.ALLOCATED).stream().collect(Collectors.toMap(s -> s.id().value(), s -> s));
        assertThat(allocated.keySet()).containsExactlyInAnyOrderElementsOf(handedOut);
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i).status() == 201) {
                Sandbox held = allocated.get(replies.get(i).text("sandbox_id"));
                assertThat(held.learner().value()).isEqualTo("race-learner-" + i);
            }
        }
        List<Sandbox> inPool = new ArrayList<>(pool.all(SandboxStatus.AVAILABLE));
        inPool.addAll(pool.all(SandboxStatus.STALE));
        assertThat(inPool).hasSize(240 - handedOut.size()).allSatisfy(s -> {
            assertThat(s.allocatedAt())
                    .as("sandbox %s was allocated once", s.id())
                    .isNull();
            assertThat(s.learner()).isNull();
        });
    }
}
