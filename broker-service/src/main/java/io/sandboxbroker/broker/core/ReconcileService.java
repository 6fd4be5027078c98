package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes dead learner claims: a claim, older than a few minutes, whose sandbox went to someone
 * else or left the pool (docs/architecture.md#allocation-protocol).
 *
 * <p>There is nothing else to repair, because the claim design never leaks a sandbox: the claim
 * is written first and only <em>names</em> a candidate; the sandbox is taken by a separate
 * conditional write that is the only proof of holding it. A crash between the two leaves the
 * candidate available (anyone may take it) and the claim pointing at it; a lost race leaves the
 * claim pointing at someone else's sandbox. Either way no sandbox is withheld from the pool, and
 * the learner's next request finishes or re-points the claim. What remains is a dangling record
 * that would only expire with its TTL; this job removes it sooner.
 *
 * <p>A claim whose candidate is still available is never removed: the learner may be between
 * reading the candidate and claiming it (a slow request, an SDK retry), and would then hold that
 * sandbox with no claim, so its next retry would be handed a second one. Such a claim withholds
 * nothing; the learner's retry finishes it or its TTL ends it. The removal is conditional on the
 * claim being unchanged (same candidate, same creation), and the sandbox is read again after it:
 * if the learner took it meanwhile, or it came back to the pool, the claim is put back.
 */
public final class ReconcileService {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileService.class);

    /** What one run did. */
    public record Result(int examined, int completed, int removed, int restored) implements JobResult {
        @Override
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("examined", (long) examined);
            counts.put("completed", (long) completed);
            counts.put("removed", (long) removed);
            counts.put("restored", (long) restored);
            return counts;
        }
    }

    private final ClaimStore claims;
    private final SandboxRepository sandboxes;
    private final LifecyclePolicy policy;
    private final Clock clock;

    @Inject
    public ReconcileService(ClaimStore claims, SandboxRepository sandboxes, LifecyclePolicy policy, Clock clock) {
        this.claims = claims;
        this.sandboxes = sandboxes;
        this.policy = policy;
        this.clock = clock;
    }

    public Result run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        int examined = 0;
        int completed = 0;
        int removed = 0;
        int restored = 0;
        for (LearnerClaim claim :
                claims.createdBetween(now.minus(policy.claimLookback()), now.minus(policy.claimMinAge()))) {
            examined++;
            Optional<Sandbox> candidate = sandboxes.find(claim.sandboxId());
            if (isHeld(candidate, claim)) {
                completed++;
                continue;
            }
            if (isTakeable(candidate) || !claims.removeIfUnchanged(claim)) {
                continue;
            }
            Optional<Sandbox> after = sandboxes.find(claim.sandboxId());
            if ((isHeld(after, claim) || isTakeable(after)) && claims.create(claim)) {
                restored++;
                LOG.warn(
                        "action=reconcile learner={} sandbox_id={} outcome=restored",
                        claim.learner(),
                        claim.sandboxId());
                continue;
            }
            removed++;
            LOG.info("action=reconcile learner={} sandbox_id={} outcome=removed", claim.learner(), claim.sandboxId());
        }
        Result result = new Result(examined, completed, removed, restored);
        LOG.debug("action=reconcile outcome=completed {}", result.logPairs());
        return result;
    }

    private static boolean isHeld(Optional<Sandbox> sandbox, LearnerClaim claim) {
        return sandbox.isPresent() && sandbox.get().isHeldBy(claim.learner());
    }

    /** The learner's request may still claim it. */
    private static boolean isTakeable(Optional<Sandbox> sandbox) {
        return sandbox.isPresent() && sandbox.get().status() == SandboxStatus.AVAILABLE;
    }
}
