package io.sandboxbroker.broker.core;

import io.sandboxbroker.broker.core.AllocationMetrics.Outcome;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each learner exactly one sandbox and lets its holder read and release it (docs/architecture.md#allocation-protocol).
 *
 * <p>The learner's claim record is written first, naming a candidate; then the candidate is
 * claimed with a conditional write. Every path, including retries, crashes between the two
 * writes and lost races, goes through {@link #resolve}: the sandbox item is the proof of who
 * holds it, and a claim whose candidate went elsewhere is re-pointed with a conditional write.
 * Happy path: one claim write and one sandbox update, plus an index query every few allocations;
 * a replay: the same claim write, which answers with the existing claim, and one sandbox read; a
 * lost race: one read of the lost sandbox, the claim re-pointed and the next candidate claimed.
 */
public final class AllocationService {
    private static final Logger LOG = LoggerFactory.getLogger(AllocationService.class);

    private final SandboxRepository sandboxes;
    private final ClaimStore claims;
    private final AllocationPolicy policy;
    private final Clock clock;
    private final AllocationMetrics metrics;
    private final StorageCalls storageCalls;
    private final CandidateBuffer candidates;
    private final UsageRecorder usage;

    @Inject
    public AllocationService(
            SandboxRepository sandboxes,
            ClaimStore claims,
            AllocationPolicy policy,
            Clock clock,
            AllocationMetrics metrics,
            StorageCalls storageCalls,
            UsageRecorder usage) {
        this.sandboxes = sandboxes;
        this.claims = claims;
        this.policy = policy;
        this.clock = clock;
        this.metrics = metrics;
        this.storageCalls = storageCalls;
        this.candidates = new CandidateBuffer(sandboxes, clock, policy.candidateBatch());
        this.usage = usage;
    }

    /**
     * The learner's sandbox: newly claimed ({@code created}) or the one it already holds, inside
     * the token's scope. Every outcome is logged and counted under the token's name.
     *
     * @throws BrokerException FORBIDDEN when the request (pool, track) or the sandbox the learner holds lies outside the scope
     */
    public Allocation allocate(AllocationRequest request, LabToken token) {
        Instant started = clock.instant();
        long callsBefore = storageCalls.onThisThread();
        Outcome outcome = Outcome.FAILED;
        SandboxId sandboxId = null;
        try {
            AllocationRequest admitted = token.scope().admit(request);
            admitted.customKey().ifPresent(key -> bindKey(key, admitted.learner()));
            Allocation allocation = allocateFor(admitted);
            // A replay of a sandbox taken through another token must not leak out of this scope.
            token.scope().check(allocation.sandbox());
            outcome = allocation.created() ? Outcome.CREATED : Outcome.REPLAYED;
            sandboxId = allocation.sandbox().id();
            if (allocation.created()) {
                usage.allocated(allocation.sandbox());
            }
            return allocation;
        } catch (BrokerException e) {
            outcome = switch (e.reason()) {
                case NO_SANDBOXES_AVAILABLE -> Outcome.POOL_EMPTY;
                case IDEMPOTENCY_KEY_CONFLICT -> Outcome.KEY_CONFLICT;
                case FORBIDDEN -> Outcome.FORBIDDEN;
                default -> Outcome.FAILED;
            };
            throw e;
        } finally {
            metrics.allocation(
                    outcome, Duration.between(started, clock.instant()), storageCalls.onThisThread() - callsBefore);
            metrics.allocationBy(token.name(), outcome);
            LOG.info(
                    "action=allocate client={} learner={} outcome={} sandbox_id={} track={}",
                    token.name(),
                    request.learner(),
                    outcome.name().toLowerCase(java.util.Locale.ROOT),
                    sandboxId == null ? "-" : sandboxId,
                    request.trackName().orElse("-"));
        }
    }

    /**
     * The sandbox, if the learner holds it and it lies inside the token's scope.
     *
     * @throws BrokerException SANDBOX_NOT_FOUND, FORBIDDEN (outside the scope), NOT_SANDBOX_OWNER
     */
    public Sandbox ownedBy(SandboxId id, LearnerId learner, LabToken token) {
        Sandbox sandbox = sandboxes
                .find(id)
                .orElseThrow(() -> new BrokerException(Reason.SANDBOX_NOT_FOUND, "sandbox " + id + " was not found"));
        token.scope().check(sandbox);
        if (!sandbox.isHeldBy(learner)) {
            throw new BrokerException(Reason.NOT_SANDBOX_OWNER, "sandbox " + id + " is not held by this learner");
        }
        return sandbox;
    }

    /**
     * Asks for the holder's sandbox to be deleted. A repeat, also after clean-up finished, answers
     * with the current state, because lab clean-up scripts retry.
     */
    public Sandbox markForDeletion(SandboxId id, LearnerId learner, LabToken token) {
        for (int attempt = 0; attempt < policy.maxAttempts(); attempt++) {
            Sandbox current = ownedBy(id, learner, token);
            if (current.status() != SandboxStatus.ALLOCATED) {
                return current;
            }
            Instant now = now();
            if (current.isExpiredAt(now)) {
                throw new BrokerException(
                        Reason.ALLOCATION_EXPIRED,
                        "the allocation of sandbox " + id + " expired at " + current.expiresAt());
            }
            Optional<Sandbox> marked = sandboxes.markForDeletion(current, now);
            if (marked.isPresent()) {
                metrics.markedForDeletion();
                usage.released(current, now);
                LOG.info(
                        "action=mark_for_deletion sandbox_id={} learner={} client={} outcome=marked",
                        id,
                        learner,
                        token.name());
                return marked.get();
            }
        }
        throw busy();
    }

    private void bindKey(String key, LearnerId learner) {
        if (!claims.bindKey(key, learner, now())) {
            throw new BrokerException(
                    Reason.IDEMPOTENCY_KEY_CONFLICT, "the Idempotency-Key is already bound to another learner");
        }
    }

    private Allocation allocateFor(AllocationRequest request) {
        // Marks this request's claim writes: after an SDK retry whose first attempt succeeded, or a
        // twin request on another process, the sandbox item tells whose write made the allocation.
        String writeToken = RandomIds.next();
        String prefix = request.namePrefix().orElse("");
        Optional<Candidate> candidate = candidates.next(prefix);
        if (candidate.isEmpty()) {
            // An empty pool still owes a learner who already holds one its replay.
            return claims.find(request.learner())
                    .map(claim -> resolve(claim, request, writeToken))
                    .orElseThrow(this::poolEmpty);
        }
        LearnerClaim fresh = new LearnerClaim(
                request.learner(),
                candidate.get().id(),
                request.idempotencyKey().orElse(request.learner().value()),
                now());
        Optional<LearnerClaim> existing = claims.createOrGet(fresh, writeToken);
        if (existing.isEmpty()) {
            Optional<Allocation> claimed = tryClaim(fresh, candidate.get().name(), request, writeToken);
            if (claimed.isPresent()) {
                return claimed.get();
            }
            metrics.conflict();
            candidates.lost(prefix, candidate.get());
            return resolve(fresh, request, writeToken);
        }
        // A replay: the write answered with the learner's claim; resolve reads the sandbox it
        // names, which alone says whether the learner still holds it (its state may have moved on).
        candidates.putBack(prefix, candidate.get());
        return resolve(existing.get(), request, writeToken);
    }

    /** Drives a claim to its end: the learner's sandbox, whatever happened before. */
    private Allocation resolve(LearnerClaim claim, AllocationRequest request, String writeToken) {
        LearnerClaim current = claim;
        for (int attempt = 0; attempt < policy.maxAttempts(); attempt++) {
            Optional<Sandbox> sandbox = sandboxes.find(current.sandboxId());
            if (sandbox.isPresent() && sandbox.get().isHeldBy(request.learner())) {
                return new Allocation(
                        sandbox.get(), writeToken.equals(sandbox.get().claimToken()));
            }
            if (sandbox.isPresent() && sandbox.get().status() == SandboxStatus.AVAILABLE) {
                // A crash or a twin request left the claim half-done: finish it.
                Optional<Allocation> claimed = tryClaim(current, sandbox.get().name(), request, writeToken);
                if (claimed.isPresent()) {
                    return claimed.get();
                }
                continue;
            }
            String prefix = request.namePrefix().orElse("");
            Candidate next = candidates.next(prefix).orElseThrow(this::poolEmpty);
            if (claims.repoint(current.learner(), current.sandboxId(), next.id())) {
                current = new LearnerClaim(current.learner(), next.id(), current.idempotencyKey(), current.createdAt());
                // The claim now names a candidate fresh from the index: claim it at once. Only a
                // lost claim needs the item read (ours after all, on an SDK retry, or another's).
                Optional<Allocation> claimed = tryClaim(current, next.name(), request, writeToken);
                if (claimed.isPresent()) {
                    return claimed.get();
                }
                candidates.lost(prefix, next);
            } else {
                // A twin request moved the claim first: follow it to where it points now.
                current = claims.find(current.learner()).orElseThrow(this::busy);
            }
        }
        throw busy();
    }

    private Optional<Allocation> tryClaim(
            LearnerClaim claim, String sandboxName, AllocationRequest request, String writeToken) {
        Instant now = now();
        return sandboxes
                .claim(
                        claim.sandboxId(),
                        claim,
                        request.trackName().orElse(null),
                        now,
                        policy.expiryFor(sandboxName, now),
                        writeToken)
                .map(sandbox -> new Allocation(sandbox, true));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private BrokerException poolEmpty() {
        return new BrokerException(
                Reason.NO_SANDBOXES_AVAILABLE, "no sandboxes are available right now", policy.poolEmptyRetryAfter());
    }

    private BrokerException busy() {
        return new BrokerException(
                Reason.SERVICE_UNAVAILABLE, "the pool is busy; retry shortly", Duration.ofSeconds(1));
    }
}
