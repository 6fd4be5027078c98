package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The clean-up's pacing and backoff. */
class CleanupPolicyTest {
    private final CleanupPolicy policy = new CleanupPolicy(
            3,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            5,
            Duration.ofMinutes(5),
            Duration.ofMinutes(120),
            Duration.ofDays(30));

    @Test
    void backoff_doublesFromTheBase_cappedAtTheMax() {
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.backoffAfter(5)).isEqualTo(Duration.ofMinutes(80));
        assertThat(policy.backoffAfter(6)).isEqualTo(Duration.ofMinutes(120));
        assertThat(policy.backoffAfter(0)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void backoff_neverOverflowsWhateverTheCount() {
        assertThat(policy.backoffAfter(40)).isEqualTo(Duration.ofMinutes(120));
        assertThat(policy.backoffAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(120));
    }

    @Test
    void pauses_noneFirst_thenPerSandbox_andPerBatch() {
        assertThat(policy.pauseBefore(0)).isZero();
        assertThat(policy.pauseBefore(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.pauseBefore(2)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.pauseBefore(3)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.pauseBefore(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.pauseBefore(6)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void nonsenseIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new CleanupPolicy(
                        0,
                        Duration.ZERO,
                        Duration.ZERO,
                        5,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CleanupPolicy(
                        1,
                        Duration.ZERO,
                        Duration.ZERO,
                        0,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CleanupPolicy(
                        1,
                        Duration.ZERO,
                        Duration.ZERO,
                        5,
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(5),
                        Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CleanupPolicy(
                        1,
                        Duration.ofSeconds(-1),
                        Duration.ZERO,
                        5,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
