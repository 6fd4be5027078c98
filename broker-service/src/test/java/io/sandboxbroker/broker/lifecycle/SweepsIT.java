package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.ExpiryService;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.StaleSweepService;
import io.sandboxbroker.broker.core.UsageRecorder;
import io.sandboxbroker.broker.db.DynamoUsageStore;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Auto-expiry and the stale sweep at their boundaries, on the test clock. */
class SweepsIT extends LifecycleTest {
    @Test
    void expiry_oneSecondBeforeExpiryPlusGrace_keeps_oneSecondAfter_pendingDeletion() {
        List<Sandbox> seeded = life.seed("lab-expiry", 3);
        Instant expiresAt = life.now().plus(Duration.ofHours(48));
        Sandbox due = life.allocate(seeded.get(0), "learner-due", expiresAt);
        Sandbox later = life.allocate(seeded.get(1), "learner-later", expiresAt.plusSeconds(10));
        ExpiryService expiry = new ExpiryService(
                life.sandboxes,
                AllocationPolicy.defaults(),
                life.clock,
                new UsageRecorder(new DynamoUsageStore(TestDynamo.client(), life.table)));
        Duration grace = AllocationPolicy.defaults().gracePeriod();

        life.clock.advance(Duration.between(life.now(), expiresAt.plus(grace).minusSeconds(1)));
        assertThat(expiry.run().expired()).isZero();
        life.clock.advance(Duration.ofSeconds(1));
        assertThat(expiry.run().expired())
                .as("exactly at expiry + grace is not past it")
                .isZero();
        life.clock.advance(Duration.ofSeconds(1));
        ExpiryService.Result result = expiry.run();

        assertThat(result.expired()).isEqualTo(1);
        Sandbox expired = life.find(due.id());
        assertThat(expired.status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(expired.learner()).isEqualTo(due.learner());
        assertThat(expired.deletionRequestedAt()).isEqualTo(life.now());
        assertThat(life.find(later.id())).isEqualTo(later);
        assertThat(life.find(seeded.get(2).id()).status()).isEqualTo(SandboxStatus.AVAILABLE);
    }

    @Test
    void expiry_allocationChangedMeanwhile_conditionRefusesTheOldCopy() {
        Sandbox sandbox = life.allocate(
                life.seed("lab-race", 1).get(0), "learner-x", life.now().minusSeconds(7200));
        Sandbox released = life.sandboxes.markForDeletion(sandbox, life.now()).orElseThrow();

        assertThat(life.sandboxes.expire(sandbox, life.now())).isEmpty();
        assertThat(life.find(sandbox.id())).isEqualTo(released);
    }

    @Test
    void staleSweep_oneSecondBeforeTheGrace_keeps_oneSecondAfter_removes_revivedNotRemoved() {
        List<Sandbox> seeded = life.seed("lab-stale", 3);
        Instant staleAt = life.now();
        life.sandboxes.markStale(seeded.get(0).id(), staleAt).orElseThrow();
        Sandbox revived = life.sandboxes.markStale(seeded.get(1).id(), staleAt).orElseThrow();
        StaleSweepService sweep = new StaleSweepService(life.sandboxes, LifecyclePolicy.defaults(), life.clock);

        life.clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(sweep.run().removed()).isZero();
        // Revived and lost again a second later: its stale time starts over.
        life.sandboxes.revive(revived.id(), life.now()).orElseThrow();
        life.sandboxes.markStale(revived.id(), life.now()).orElseThrow();
        life.clock.advance(Duration.ofSeconds(2));
        StaleSweepService.Result result = sweep.run();

        assertThat(result.removed()).isEqualTo(1);
        assertThat(life.sandboxes.find(seeded.get(0).id())).isEmpty();
        assertThat(life.find(revived.id()).status()).isEqualTo(SandboxStatus.STALE);
        assertThat(life.find(seeded.get(2).id()).status()).isEqualTo(SandboxStatus.AVAILABLE);
    }

    @Test
    void staleSweep_staleCopyRevivedBeforeTheDelete_isNotRemoved() {
        Sandbox stale = life.sandboxes
                .markStale(life.seed("lab-back", 1).get(0).id(), life.now())
                .orElseThrow();
        life.sandboxes.revive(stale.id(), life.now()).orElseThrow();

        assertThat(life.sandboxes.removeStale(stale)).isFalse();
        assertThat(life.find(stale.id()).status()).isEqualTo(SandboxStatus.AVAILABLE);
    }
}
