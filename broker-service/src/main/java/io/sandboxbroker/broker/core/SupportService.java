package io.sandboxbroker.broker.core;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * What support looks up: a sandbox's history, and for a learner its claim, the sandbox the claim
 * names and that sandbox's history. Every read is by key (no scan).
 */
public final class SupportService {

    /** A learner's claim, its sandbox (absent once the item is gone) and the first page of its history. */
    public record LearnerLookup(LearnerClaim claim, Optional<Sandbox> sandbox, HistoryPage history) {}

    private final SandboxRepository sandboxes;
    private final ClaimStore claims;
    private final SandboxHistory history;

    @Inject
    public SupportService(SandboxRepository sandboxes, ClaimStore claims, SandboxHistory history) {
        this.sandboxes = sandboxes;
        this.claims = claims;
        this.history = history;
    }

    /**
     * The sandbox's history, also after its item is gone (within the retention).
     *
     * @throws BrokerException SANDBOX_NOT_FOUND when neither the sandbox nor any history of it exists
     */
    public HistoryPage history(SandboxId id, int limit, Optional<String> cursor) {
        HistoryPage page = history.page(id, limit, cursor);
        if (page.entries().isEmpty() && cursor.isEmpty() && sandboxes.find(id).isEmpty()) {
            throw new BrokerException(Reason.SANDBOX_NOT_FOUND, "sandbox " + id + " was not found");
        }
        return page;
    }

    /**
     * @throws BrokerException NOT_FOUND when the learner has no claim (never allocated, or the claim was reconciled away)
     */
    public LearnerLookup learner(LearnerId learner, int limit) {
        LearnerClaim claim = claims.find(learner)
                .orElseThrow(() -> new BrokerException(Reason.NOT_FOUND, "learner " + learner + " holds no claim"));
        Optional<Sandbox> sandbox = sandboxes.find(claim.sandboxId());
        return new LearnerLookup(claim, sandbox, history.page(claim.sandboxId(), limit, Optional.empty()));
    }
}
