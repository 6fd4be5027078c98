package io.sandboxbroker.broker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.config.BucketConfig;
import io.sandboxbroker.broker.config.RateLimitConfig;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000);

    private RateLimiter limiter(int maxKeys) {
        return new RateLimiter(
                new RateLimitConfig(
                                true,
                                new BucketConfig(3, 60),
                                new BucketConfig(10, 600),
                                new BucketConfig(5, 60),
                                "",
                                Duration.minutes(10),
                                maxKeys)
                        .limits(),
                nanos::get);
    }

    private void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }

    @Test
    void learner_burstThenRefusedWithRetryAfter_thenRefills() {
        RateLimiter limiter = limiter(1000);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.client("lab", Optional.of("alice")).allowed()).isTrue();
        }
        Quota refused = limiter.client("lab", Optional.of("alice"));

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(3);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isEqualTo(java.time.Duration.ofSeconds(1));

        advance(1, TimeUnit.SECONDS);
        assertThat(limiter.client("lab", Optional.of("alice")).allowed()).isTrue();
    }

    @Test
    void rotatingTheLearnerHeader_doesNotEscapeTheClientBucket() {
        RateLimiter limiter = limiter(1000);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            if (limiter.client("lab", Optional.of("learner-" + i)).allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(10);
        // Another client is untouched.
        assertThat(limiter.client("other-lab", Optional.of("learner-0")).allowed())
                .isTrue();
    }

    @Test
    void refusedLearner_doesNotDrainItsClientsBucket() {
        RateLimiter limiter = limiter(1000);
        for (int i = 0; i < 40; i++) {
            limiter.client("lab", Optional.of("spammer"));
        }
        Quota neighbour = limiter.client("lab", Optional.of("neighbour"));
        assertThat(neighbour.allowed()).isTrue();
        // 3 of the spammer's + this one: the client bucket (10) reports the least left.
        assertThat(neighbour.remaining()).isEqualTo(2);
    }

    @Test
    void sameLearnerUnderTwoClients_areTwoBuckets() {
        RateLimiter limiter = limiter(1000);
        for (int i = 0; i < 3; i++) {
            limiter.client("lab-a", Optional.of("bob"));
        }
        assertThat(limiter.client("lab-a", Optional.of("bob")).allowed()).isFalse();
        assertThat(limiter.client("lab-b", Optional.of("bob")).allowed()).isTrue();
    }

    @Test
    void addresses_haveTheirOwnBuckets() {
        RateLimiter limiter = limiter(1000);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.address("192.0.2.1").allowed()).isTrue();
        }
        assertThat(limiter.address("192.0.2.1").allowed()).isFalse();
        assertThat(limiter.address("192.0.2.2").allowed()).isTrue();
    }

    @Test
    void manyKeys_memoryStaysBounded() {
        RateLimiter limiter = limiter(1000);
        for (int i = 0; i < 20_000; i++) {
            limiter.address("key-" + i);
            limiter.client("client-" + (i % 2_000), Optional.of("learner-" + i));
        }
        // Three kinds of bucket, each held to maxKeys.
        assertThat(limiter.size()).isLessThanOrEqualTo(3 * 1000);
    }

    @Test
    void idleBuckets_areDroppedAfterTheIdleExpiry() {
        RateLimiter limiter = limiter(100_000);
        for (int i = 0; i < 5_000; i++) {
            limiter.address("10.1." + (i / 256) + "." + (i % 256));
        }
        assertThat(limiter.size()).isEqualTo(5_000);

        advance(11, TimeUnit.MINUTES);
        limiter.address("fresh");

        assertThat(limiter.size()).isEqualTo(1);
    }

    @Test
    void droppedBucket_comesBackFull() {
        RateLimiter limiter = limiter(1000);
        for (int i = 0; i < 6; i++) {
            limiter.address("192.0.2.9");
        }
        advance(11, TimeUnit.MINUTES);
        assertThat(limiter.address("192.0.2.9").remaining()).isEqualTo(4);
    }
}
