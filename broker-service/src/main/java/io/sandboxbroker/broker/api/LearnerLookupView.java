package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.SupportService.LearnerLookup;

/**
 * Body of {@code GET /v1/admin/learners/{learner_id}}: the learner's claim, the sandbox it names
 * (null once the sandbox item is gone) and the first page of that sandbox's history.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LearnerLookupView(String learnerId, Claim claim, AdminSandboxView sandbox, HistoryView history) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Claim(String sandboxId, String idempotencyKey, long createdAt) {}

    public static LearnerLookupView of(LearnerLookup lookup) {
        return new LearnerLookupView(
                lookup.claim().learner().value(),
                new Claim(
                        lookup.claim().sandboxId().value(),
                        lookup.claim().idempotencyKey(),
                        Times.unix(lookup.claim().createdAt())),
                lookup.sandbox().map(AdminSandboxView::of).orElse(null),
                HistoryView.of(lookup.claim().sandboxId().value(), lookup.history()));
    }
}
