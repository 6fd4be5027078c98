package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.support.TestDynamo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A flood of readiness probes costs one DynamoDB read per freshness window, not one per probe. */
class DynamoStorageProbeIT {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final String table = TestDynamo.uniqueTable("probe");
    private final DynamoDbClient counted = TestDynamo.clientWith(new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
        }
    });

    @Test
    void reachable_concurrentFlood_oneReadPerWindow_thenFreshAgain() throws Exception {
        PoolTable.createIfMissing(TestDynamo.client(), table);
        DynamoStorageProbe probe = new DynamoStorageProbe(counted, table, nanos::get);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return probe.reachable();
                }));
            }
            start.countDown();
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(calls.get()).isEqualTo(1);

        nanos.addAndGet(DynamoStorageProbe.FRESH_FOR.toNanos() - 1);
        assertThat(probe.reachable()).isTrue();
        assertThat(calls.get()).as("still fresh").isEqualTo(1);

        nanos.addAndGet(1);
        assertThat(probe.reachable()).isTrue();
        assertThat(calls.get()).as("asked again once stale").isEqualTo(2);
    }

    @Test
    void reachable_missingTable_notReady_andThatAnswerIsKeptToo() {
        DynamoStorageProbe probe = new DynamoStorageProbe(counted, TestDynamo.uniqueTable("absent"), nanos::get);

        assertThat(probe.reachable()).isFalse();
        assertThat(probe.reachable()).isFalse();
        assertThat(calls.get()).isEqualTo(1);
    }
}
