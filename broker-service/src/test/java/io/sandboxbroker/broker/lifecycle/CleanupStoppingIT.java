package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.StopSignal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stopping process: the clean-up finishes the sandbox in hand and leaves the rest pending, its thread not interrupted. */
class CleanupStoppingIT extends LifecycleTest {

    @Test
    void stopRequestedDuringTheRun_finishesTheSandboxInHand_leavesTheRestPending() {
        List<Sandbox> pending =
                life.seed("lab-stop", 3).stream().map(life::pending).toList();
        StopSignal stopping = new StopSignal();
        // The process is asked to stop while the first sandbox is being deleted.
        Pause stopAfterFirst = new Pause() {
            private int pauses;

            @Override
            public void pause(Duration duration) throws InterruptedException {
                if (pauses++ == 1) {
                    stopping.request();
                }
                stopping.pause(duration);
            }

            @Override
            public boolean stopRequested() {
                return stopping.stopRequested();
            }
        };

        CleanupService.Result result = life.cleanup(
                        life.breaking(100), life.niosxaas(false, false), Lifecycle.policy(5), stopAfterFirst)
                .run();

        assertThat(result.interrupted()).isTrue();
        assertThat(result.deleted()).isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the worker thread stays usable")
                .isFalse();
        assertThat(pending)
                .extracting(s -> life.find(s.id()).status())
                .containsExactlyInAnyOrder(
                        SandboxStatus.DELETED, SandboxStatus.PENDING_DELETION, SandboxStatus.PENDING_DELETION);
    }

    @Test
    void stopSignal_endsAWaitAtOnce() throws InterruptedException {
        StopSignal stopping = new StopSignal();
        stopping.request();
        long before = System.nanoTime();

        stopping.pause(Duration.ofMinutes(10));

        assertThat(stopping.stopRequested()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMinutes(10));
    }
}
