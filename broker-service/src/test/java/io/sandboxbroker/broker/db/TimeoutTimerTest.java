package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.config.DynamoConfig;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class TimeoutTimerTest {

    @Test
    void aTimeoutThatIsDue_fires() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);

        TimeoutTimer.shared().schedule(fired::countDown, 20, TimeUnit.MILLISECONDS);

        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledTimeout_leavesTheQueueAtOnce_ratherThanWakingTheTimerAtItsDeadline() {
        ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) TimeoutTimer.shared();
        int queuedBefore = timer.getQueue().size();
        List<ScheduledFuture<?>> timeouts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            timeouts.add(timer.schedule(() -> {}, 8, TimeUnit.SECONDS));
        }

        timeouts.forEach(timeout -> timeout.cancel(false));

        assertThat(timer.getQueue()).hasSizeLessThanOrEqualTo(queuedBefore);
    }

    @Test
    void everyClientTimesItsCallsOnTheOneSharedThread_notOnThreadsOfItsOwn() throws Exception {
        // A port nobody listens on: each call fails after its attempts, each attempt timed.
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Set<String> before = timerThreads();
        Set<String> started = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            try (DynamoDbClient client = DynamoClients.build(
                    config("http://127.0.0.1:" + closedPort), new DynamoAttemptMetrics(new MetricRegistry()))) {
                assertThatThrownBy(() -> client.describeEndpoints(b -> {})).isInstanceOf(SdkException.class);
                // Seen while the client is open: closing it stops threads of its own.
                started.addAll(timerThreads());
            }
        }

        started.removeAll(before);
        assertThat(started).isSubsetOf(Set.of("dynamodb-timeouts"));
        assertThat(timerThreads()).contains("dynamodb-timeouts");
        // Closing a client leaves the shared timer to the others.
        assertThat(TimeoutTimer.shared().isShutdown()).isFalse();
    }

    /** Names of live threads that time SDK calls: ours, or the SDK's default pool. */
    private static Set<String> timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith("sdk-ScheduledExecutor") || name.equals("dynamodb-timeouts"))
                .collect(Collectors.toSet());
    }

    private static DynamoConfig config(String endpoint) {
        return new DynamoConfig(
                "unused",
                "unused",
                "us-east-1",
                endpoint,
                false,
                8,
                10,
                Duration.seconds(2),
                Duration.seconds(5),
                2,
                Duration.milliseconds(1),
                Duration.milliseconds(1),
                Duration.milliseconds(5));
    }
}
