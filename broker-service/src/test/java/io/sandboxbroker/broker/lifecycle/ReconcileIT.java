package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.ReconcileService;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Half-done learner claims, found through the claims-by-hour index. */
class ReconcileIT extends LifecycleTest {
    @Test
    void reconcile_removesAnOldOrphanClaim_keepsCompletedAndYoungOnes() {
        List<Sandbox> seeded = life.seed("lab-claims", 4);
        // The orphan's candidate went to someone else (whose claim is complete): the orphan's is dead.
        life.allocate(seeded.get(3), "someone-else", life.now().plus(Duration.ofHours(48)));
        LearnerClaim orphan =
                new LearnerClaim(new LearnerId("orphan"), seeded.get(3).id(), "orphan", life.now());
        assertThat(life.claims.create(orphan)).isTrue();
        Sandbox completed = life.allocate(seeded.get(1), "completed", life.now().plus(Duration.ofHours(48)));
        life.clock.advance(Duration.ofMinutes(10));
        LearnerClaim young =
                new LearnerClaim(new LearnerId("young"), seeded.get(2).id(), "young", life.now());
        assertThat(life.claims.create(young)).isTrue();
        ReconcileService reconcile =
                new ReconcileService(life.claims, life.sandboxes, LifecyclePolicy.defaults(), life.clock);

        ReconcileService.Result result = reconcile.run();

        assertThat(result).isEqualTo(new ReconcileService.Result(3, 2, 1, 0));
        assertThat(life.claims.find(orphan.learner())).isEmpty();
        assertThat(life.claims.find(completed.learner())).isPresent();
        assertThat(life.claims.find(young.learner())).isPresent();
        assertThat(life.find(seeded.get(0).id()).status()).isEqualTo(SandboxStatus.AVAILABLE);
    }

    @Test
    void reconcile_keepsAClaimWhoseCandidateIsStillAvailable() {
        Sandbox candidate = life.seed("lab-waiting", 1).get(0);
        LearnerClaim waiting = new LearnerClaim(new LearnerId("waiting"), candidate.id(), "waiting", life.now());
        assertThat(life.claims.create(waiting)).isTrue();
        life.clock.advance(Duration.ofMinutes(10));

        ReconcileService.Result result =
                new ReconcileService(life.claims, life.sandboxes, LifecyclePolicy.defaults(), life.clock).run();

        assertThat(result).isEqualTo(new ReconcileService.Result(1, 0, 0, 0));
        assertThat(life.claims.find(waiting.learner())).contains(waiting);
    }

    @Test
    void reconcile_claimRepointedMeanwhile_isNotRemoved() {
        List<Sandbox> seeded = life.seed("lab-moved", 2);
        LearnerClaim claim =
                new LearnerClaim(new LearnerId("mover"), seeded.get(0).id(), "mover", life.now());
        life.claims.create(claim);
        life.claims.repoint(claim.learner(), seeded.get(0).id(), seeded.get(1).id());

        assertThat(life.claims.removeIfUnchanged(claim)).isFalse();
        assertThat(life.claims.find(claim.learner()))
                .get()
                .extracting(LearnerClaim::sandboxId)
                .isEqualTo(seeded.get(1).id());
    }

    @Test
    void createdBetween_spansHourBuckets_andOnlyTheWindow() {
        Sandbox sandbox = life.seed("lab-hours", 1).get(0);
        for (int i = 0; i < 4; i++) {
            life.claims.create(new LearnerClaim(new LearnerId("hourly-" + i), sandbox.id(), "hourly-" + i, life.now()));
            life.clock.advance(Duration.ofMinutes(50));
        }
        // Claims at t, t+50m, t+100m, t+150m; the window [t+1m, t+150m) holds the middle two.
        List<LearnerClaim> found = life.claims.createdBetween(
                life.now().minus(Duration.ofMinutes(199)), life.now().minus(Duration.ofMinutes(50)));

        assertThat(found).extracting(c -> c.learner().value()).containsExactlyInAnyOrder("hourly-1", "hourly-2");
    }
}
