package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many learners at once, on one and on two API processes: nobody shares, nobody holds two. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AllocationConcurrencyIT {
    private static final String TABLE = TestDynamo.uniqueTable("concurrency");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);
    static final DropwizardAppExtension<BrokerConfiguration> SECOND_APP = BrokerTestApp.extension(TABLE);
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(64);

    @AfterAll
    static void stopThreads() {
        THREADS.shutdownNow();
    }

    @Test
    void allocate_200LearnersFor150Sandboxes_hands150DistinctSandboxesAndRefuses50() throws Exception {
        String group = "storm";
        Pool pool = Pool.of(TABLE);
        pool.seed(group, 150);
        LabClient lab = LabClient.at(APP.getLocalPort()).with("X-Sandbox-Name-Prefix", group);

        List<Reply> replies =
                concurrently(200, i -> lab.lab("storm-learner-" + i).post("/v1/allocate"));

        Map<Integer, Long> byStatus =
                replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
        assertThat(byStatus).containsOnlyKeys(201, 409);
        assertThat(byStatus.get(201)).isEqualTo(150);
        assertThat(byStatus.get(409)).isEqualTo(50);
        assertThat(replies.stream().filter(r -> r.status() == 409).map(Reply::code))
                .containsOnly("NO_SANDBOXES_AVAILABLE");
        List<String> handedOut = replies.stream()
                .filter(r -> r.status() == 201)
                .map(r -> r.text("sandbox_id"))
                .toList();
        assertThat(handedOut).doesNotHaveDuplicates().hasSize(150);

        List<Sandbox> allocated = pool.all(SandboxStatus.ALLOCATED).stream()
                .filter(s -> s.name().startsWith(group))
                .toList();
        assertThat(allocated).hasSize(150);
        assertThat(allocated).extracting(s -> s.learner().value()).doesNotHaveDuplicates();
        assertThat(pool.all(SandboxStatus.AVAILABLE).stream()
                        .filter(s -> s.name().startsWith(group)))
                .isEmpty();
    }

    /**
     * The end of a pool, where two processes' buffers hold the same last candidates: a learner who
     * loses one of them to the other process is not left to lose the rest, one by one, until its
     * attempts run out (a 503 where the pool still had a sandbox for it).
     */
    @Test
    void allocate_aClassLargerThanThePool_acrossTwoProcesses_emptiesThePoolBeforeRefusingAnyone() throws Exception {
        String group = "tail";
        Pool pool = Pool.of(TABLE);
        pool.seed(group, 400);
        List<Reply> replies = concurrently(
                440,
                i -> LabClient.at(i % 2 == 0 ? APP.getLocalPort() : SECOND_APP.getLocalPort())
                        .with("X-Sandbox-Name-Prefix", group)
                        .lab("tail-learner-" + i)
                        .post("/v1/allocate"));

        Map<Integer, Long> byStatus =
                replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
        assertThat(byStatus).isEqualTo(Map.of(201, 400L, 409, 40L));
        assertThat(replies.stream().filter(r -> r.status() == 201).map(r -> r.text("sandbox_id")))
                .doesNotHaveDuplicates();
        assertThat(pool.all(SandboxStatus.AVAILABLE).stream()
                        .filter(s -> s.name().startsWith(group)))
                .isEmpty();
    }

    @Test
    void allocate_sameLearner50TimesAcrossTwoProcesses_everyReplyNamesOneSandboxAndOnlyOneIsNew() throws Exception {
        String group = "twins";
        Pool pool = Pool.of(TABLE);
        pool.seed(group, 20);
        LabClient first = LabClient.at(APP.getLocalPort())
                .with("X-Sandbox-Name-Prefix", group)
                .lab("twin-learner");
        LabClient second = LabClient.at(SECOND_APP.getLocalPort())
                .with("X-Sandbox-Name-Prefix", group)
                .lab("twin-learner");

        List<Reply> replies = concurrently(50, i -> (i % 2 == 0 ? first : second).post("/v1/allocate"));

        assertThat(replies).extracting(Reply::status).containsOnly(200, 201);
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(1);
        assertThat(replies.stream().map(r -> r.text("sandbox_id")).distinct()).hasSize(1);
        List<Sandbox> held = pool.all(SandboxStatus.ALLOCATED).stream()
                .filter(s -> s.learner().value().equals("twin-learner"))
                .toList();
        assertThat(held).hasSize(1);
        assertThat(held.get(0).id().value()).isEqualTo(replies.get(0).text("sandbox_id"));
    }

    @Test
    void allocate_manyLearnersWithRetriesAcrossTwoProcesses_eachLearnerHoldsExactlyOne() throws Exception {
        String group = "retries";
        Pool pool = Pool.of(TABLE);
        pool.seed(group, 60);
        int learners = 40;
        List<Reply> replies = concurrently(
                learners * 3,
                i -> LabClient.at(i % 2 == 0 ? APP.getLocalPort() : SECOND_APP.getLocalPort())
                        .with("X-Sandbox-Name-Prefix", group)
                        .lab("retry-learner-" + (i % learners))
                        .post("/v1/allocate"));

        assertThat(replies).extracting(Reply::status).containsOnly(200, 201);
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(learners);
        Map<String, List<String>> sandboxesByLearner = new HashMap<>();
        for (int i = 0; i < replies.size(); i++) {
            sandboxesByLearner
                    .computeIfAbsent("retry-learner-" + (i % learners), k -> new ArrayList<>())
                    .add(replies.get(i).text("sandbox_id"));
        }
        sandboxesByLearner
                .values()
                .forEach(ids -> assertThat(ids.stream().distinct()).hasSize(1));
        List<Sandbox> allocated = pool.all(SandboxStatus.ALLOCATED).stream()
                .filter(s -> s.name().startsWith(group))
                .toList();
        assertThat(allocated).hasSize(learners);
        assertThat(allocated).extracting(s -> s.learner().value()).doesNotHaveDuplicates();
    }

    /** Runs {@code count} calls at once, released together, and returns their replies in order. */
    static List<Reply> concurrently(int count, Function<Integer, Reply> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        for (int i : IntStream.range(0, count).toArray()) {
            Callable<Reply> task = () -> {
                start.await();
                return call.apply(i);
            };
            futures.add(THREADS.submit(task));
        }
        start.countDown();
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> future : futures) {
            replies.add(future.get());
        }
        return replies;
    }
}
