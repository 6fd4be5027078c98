package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pool's state against its low water, and its time to empty at the last hour's rate. */
class PoolHealthTest {
    private static final PoolLevel LOW_WATER_10 = new PoolLevel(10, 50L);

    private static PoolHealth withAvailable(long available, long allocationsLastHour) {
        return PoolHealth.of(
                "lab-a",
                Map.of(SandboxStatus.AVAILABLE, available, SandboxStatus.ALLOCATED, 7L),
                LOW_WATER_10,
                allocationsLastHour);
    }

    @Test
    void state_emptyAtZero_lowBelowLowWater_okFromLowWaterOn() {
        assertThat(withAvailable(0, 0).state()).isEqualTo(PoolState.EMPTY);
        assertThat(withAvailable(9, 0).state()).isEqualTo(PoolState.LOW);
        assertThat(withAvailable(10, 0).state()).isEqualTo(PoolState.OK);
    }

    @Test
    void secondsToEmpty_atTheLastHoursRate_nullWithoutAllocations_zeroWhenEmpty() {
        assertThat(withAvailable(30, 60).secondsToEmpty()).isEqualTo(1800L);
        assertThat(withAvailable(30, 0).secondsToEmpty()).isNull();
        assertThat(withAvailable(0, 60).secondsToEmpty()).isZero();
    }

    @Test
    void countsComeFromTheGroupsStatuses() {
        PoolHealth health = PoolHealth.of(
                "lab-a",
                Map.of(SandboxStatus.PENDING_DELETION, 2L, SandboxStatus.DELETION_FAILED, 1L),
                LOW_WATER_10,
                0);

        assertThat(health.available()).isZero();
        assertThat(health.pendingDeletion()).isEqualTo(2);
        assertThat(health.deletionFailed()).isEqualTo(1);
        assertThat(health.level()).isEqualTo(LOW_WATER_10);
    }

    @Test
    void aTargetBelowLowWater_isRefused() {
        assertThatThrownBy(() -> new PoolLevel(10, 5L)).isInstanceOf(IllegalArgumentException.class);
    }
}
