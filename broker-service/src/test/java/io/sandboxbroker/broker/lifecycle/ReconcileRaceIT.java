package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.sandboxbroker.broker.core.Allocation;
import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.AllocationRequest;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.LabToken;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.ReconcileService;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxRepository;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.metrics.DropwizardAllocationMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A learner's request paused between writing its claim (naming a candidate) and claiming that
 * candidate, while reconcile runs: the learner must end with one sandbox, also after its retry.
 * The services run on the real table; the only hook is a pause in front of the claim write.
 */
class ReconcileRaceIT extends LifecycleTest {
    private static final LearnerId LEARNER = new LearnerId("paused-learner");

    @Test
    void learnerPausedBeforeItsClaim_whileReconcileRuns_endsWithOneSandbox() throws Exception {
        life.seed("lab-race", 3);
        CountDownLatch reachedClaim = new CountDownLatch(1);
        CountDownLatch mayClaim = new CountDownLatch(1);
        AllocationService paused = allocation(pausingBeforeClaim(life.sandboxes, reachedClaim, mayClaim));
        AllocationRequest request =
                new AllocationRequest(LEARNER, Optional.empty(), Optional.of("lab-race"), Optional.empty());

        CompletableFuture<Allocation> first =
                CompletableFuture.supplyAsync(() -> paused.allocate(request, LabToken.UNSCOPED));
        assertThat(reachedClaim.await(30, TimeUnit.SECONDS))
                .as("the request reached its claim write")
                .isTrue();
        // The claim is now old enough for reconcile to judge it, and its candidate is still available.
        life.clock.advance(Duration.ofMinutes(10));
        ReconcileService.Result reconciled =
                new ReconcileService(life.claims, life.sandboxes, LifecyclePolicy.defaults(), life.clock).run();
        mayClaim.countDown();
        Allocation allocated = first.get(30, TimeUnit.SECONDS);
        Allocation retried = allocation(life.sandboxes).allocate(request, LabToken.UNSCOPED);

        assertThat(heldBy(LEARNER))
                .extracting(Sandbox::id)
                .containsExactly(allocated.sandbox().id());
        assertThat(allocated.created()).isTrue();
        assertThat(retried.created()).isFalse();
        assertThat(retried.sandbox().id()).isEqualTo(allocated.sandbox().id());
        assertThat(reconciled.removed()).as("claims removed by reconcile").isZero();
    }

    private AllocationService allocation(SandboxRepository sandboxes) {
        return new AllocationService(
                sandboxes,
                life.claims,
                AllocationPolicy.defaults(),
                life.clock,
                new DropwizardAllocationMetrics(new MetricRegistry(), new CollectorRegistry()),
                new DynamoCallCounter(new MetricRegistry()),
                life.usage());
    }

    private List<Sandbox> heldBy(LearnerId learner) {
        List<Sandbox> held = new ArrayList<>();
        life.sandboxes.forEach(SandboxStatus.ALLOCATED, sandbox -> {
            if (sandbox.isHeldBy(learner)) {
                held.add(sandbox);
            }
        });
        return held;
    }

    /** The repository as it is, except that the first claim write waits until the test lets it go. */
    private static SandboxRepository pausingBeforeClaim(
            SandboxRepository real, CountDownLatch reached, CountDownLatch release) {
        return (SandboxRepository) Proxy.newProxyInstance(
                SandboxRepository.class.getClassLoader(),
                new Class<?>[] {SandboxRepository.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("claim") && reached.getCount() > 0) {
                        reached.countDown();
                        if (!release.await(60, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the claim");
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
