package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.dynamo.Fault;
import io.sandboxbroker.testkit.dynamo.FaultProxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Allocation on two API processes whose DynamoDB behaves as on a bad day: writes applied and then
 * answered with a 500 or a reset connection (the SDK retries a write that already happened), the
 * available and claims indexes lagging the table by up to 3 s, and throttling bursts, all on the
 * pool table. Learners retry as the lab scripts do. Exactness must hold regardless.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AllocationUnderFaultsIT {
    private static final String TABLE = TestDynamo.uniqueTable("faults");
    private static final FaultProxy PROXY = FaultProxy.start(
            TestDynamo.dynalite().endpoint(),
            11L,
            Fault.appliedThen500().table(TABLE).probability(0.10),
            Fault.appliedThenReset().table(TABLE).probability(0.03),
            Fault.indexLag(Duration.ofMillis(200), Duration.ofSeconds(3)).table(TABLE),
            Fault.provisionedThroughputExceeded().table(TABLE).probability(0.01).burst(3),
            Fault.throttling().table(TABLE).probability(0.01).burst(2));
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(
            Clock.systemUTC(), TABLE, () -> PROXY.endpoint().toString());
    static final DropwizardAppExtension<BrokerConfiguration> SECOND_APP = BrokerTestApp.extension(
            Clock.systemUTC(), TABLE, () -> PROXY.endpoint().toString());
    /** Learners at once: enough to race for every sandbox, few enough for two cores and the proxy. */
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(24);
    /** A lab script's patience: it retries a 503 (or a dropped answer) a few times. */
    private static final int SCRIPT_ATTEMPTS = 8;

    @AfterEach
    void printFaults() {
        System.out.println("AllocationUnderFaultsIT " + PROXY);
    }

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
        PROXY.close();
    }

    @Test
    void allocate_200LearnersFor150Sandboxes_acrossTwoProcesses_underFaults_exactlyOneEach() throws Exception {
        String group = "badday";
        Pool pool = seeded(group, 150);

        List<List<Reply>> byLearner = concurrently(
                200,
                i -> untilAnswered(LabClient.at(i % 2 == 0 ? APP.getLocalPort() : SECOND_APP.getLocalPort())
                        .with("X-Sandbox-Name-Prefix", group)
                        .lab("faulty-learner-" + i)));

        Map<String, String> sandboxOf = new HashMap<>();
        int refused = 0;
        for (int i = 0; i < byLearner.size(); i++) {
            List<Reply> replies = byLearner.get(i);
            Reply last = replies.get(replies.size() - 1);
            long created = replies.stream().filter(r -> r.status() == 201).count();
            if (last.status() == 409) {
                assertThat(last.code()).isEqualTo("NO_SANDBOXES_AVAILABLE");
                assertThat(created)
                        .as("learner " + i + " was refused after a 201")
                        .isZero();
                refused++;
                continue;
            }
            assertThat(last.status())
                    .as("learner " + i + ": " + statuses(replies))
                    .isIn(200, 201);
            assertThat(created)
                    .as("201s for learner " + i + ": " + statuses(replies))
                    .isEqualTo(1);
            sandboxOf.put("faulty-learner-" + i, last.text("sandbox_id"));
        }
        assertThat(sandboxOf).hasSize(150);
        assertThat(refused).isEqualTo(50);
        assertThat(sandboxOf.values()).doesNotHaveDuplicates();

        List<Sandbox> allocated = pool.all(SandboxStatus.ALLOCATED).stream()
                .filter(s -> s.name().startsWith(group))
                .toList();
        assertThat(allocated).hasSize(150);
        allocated.forEach(
                s -> assertThat(sandboxOf.get(s.learner().value())).as(s.name()).isEqualTo(s.id().value()));

        // Replay, on the other process: the same sandbox, 200.
        for (int i = 0; i < 200; i += 17) {
            String learner = "faulty-learner-" + i;
            if (sandboxOf.containsKey(learner)) {
                List<Reply> replay =
                        untilAnswered(LabClient.at(i % 2 == 0 ? SECOND_APP.getLocalPort() : APP.getLocalPort())
                                .with("X-Sandbox-Name-Prefix", group)
                                .lab(learner));
                assertThat(replay.get(replay.size() - 1).status()).isEqualTo(200);
                assertThat(replay.get(replay.size() - 1).text("sandbox_id")).isEqualTo(sandboxOf.get(learner));
            }
        }
        assertThat(PROXY.counts().entrySet().stream().filter(e -> !e.getKey().equals("requests")))
                .as("every fault was injected")
                .allMatch(e -> e.getValue() > 0);
    }

    @Test
    void allocate_sameLearner50TimesAcrossTwoProcesses_underFaults_oneSandboxOneCreated() throws Exception {
        String group = "twinday";
        Pool pool = seeded(group, 20);

        List<List<Reply>> calls = concurrently(
                50,
                i -> untilAnswered(LabClient.at(i % 2 == 0 ? APP.getLocalPort() : SECOND_APP.getLocalPort())
                        .with("X-Sandbox-Name-Prefix", group)
                        .lab("faulty-twin")));

        List<Reply> answers =
                calls.stream().map(replies -> replies.get(replies.size() - 1)).toList();
        assertThat(answers).extracting(Reply::status).containsOnly(200, 201);
        assertThat(calls.stream().flatMap(List::stream).filter(r -> r.status() == 201))
                .hasSize(1);
        assertThat(answers.stream().map(r -> r.text("sandbox_id")).distinct()).hasSize(1);
        List<Sandbox> held = pool.all(SandboxStatus.ALLOCATED).stream()
                .filter(s -> s.learner().value().equals("faulty-twin"))
                .toList();
        assertThat(held)
                .extracting(s -> s.id().value())
                .containsExactly(answers.get(0).text("sandbox_id"));
    }

    /** Seeds through the proxy (the lagging index copy must see every write) and waits until the indexes caught up. */
    private static Pool seeded(String group, int count) {
        PROXY.disable();
        try {
            Pool pool = new Pool(proxyClient(), TABLE);
            pool.seed(group, count);
            await().atMost(Duration.ofSeconds(30)).until(() -> PROXY.pendingIndexUpdates() == 0);
            return new Pool(TestDynamo.client(), TABLE);
        } finally {
            PROXY.enable();
        }
    }

    private static DynamoDbClient proxyClient() {
        return DynamoDbClient.builder()
                .endpointOverride(PROXY.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** As a lab script: retries a 503 until it gets an answer that decides (200, 201 or 409). */
    private static List<Reply> untilAnswered(LabClient learner) {
        List<Reply> replies = new ArrayList<>();
        for (int attempt = 0; attempt < SCRIPT_ATTEMPTS; attempt++) {
            Reply reply = learner.post("/v1/allocate");
            replies.add(reply);
            if (reply.status() != 503) {
                return replies;
            }
        }
        return replies;
    }

    private static String statuses(List<Reply> replies) {
        return replies.stream()
                .map(r -> r.status() + (r.status() >= 400 ? " " + r.code() : ""))
                .collect(Collectors.joining(", "));
    }

    private static <T> List<T> concurrently(int count, Function<Integer, T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i : IntStream.range(0, count).toArray()) {
            Callable<T> task = () -> {
                start.await();
                return call.apply(i);
            };
            futures.add(THREADS.submit(task));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }
}
