package io.sandboxbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ClaimStore} does, run against the in-memory one and the DynamoDB one on
 * dynalite. Each case gets a fresh, empty store.
 */
public abstract class ClaimStoreContract {
    protected static final Instant NOW = Instant.parse("2026-11-27T10:20:00Z");

    protected ClaimStore claims;

    /** A fresh, empty store. */
    protected abstract ClaimStore newStore();

    @BeforeEach
    void setUpStore() {
        claims = newStore();
    }

    private static LearnerClaim claim(String learner, String sandbox, Instant createdAt) {
        return new LearnerClaim(new LearnerId(learner), new SandboxId(sandbox), learner, createdAt);
    }

    @Test
    void create_oneClaimPerLearner_readBackAsWritten() {
        LearnerClaim first = claim("learner-a", "1", NOW);

        assertThat(claims.create(first)).isTrue();
        assertThat(claims.create(claim("learner-a", "2", NOW.plusSeconds(1)))).isFalse();

        assertThat(claims.find(new LearnerId("learner-a"))).contains(first);
        assertThat(claims.find(new LearnerId("nobody"))).isEmpty();
    }

    @Test
    void createOrGet_createsOnce_andAnswersTheExistingClaimToAnyOtherWrite() {
        LearnerClaim first = claim("learner-e", "1", NOW);

        assertThat(claims.createOrGet(first, "token-1")).isEmpty();
        assertThat(claims.createOrGet(claim("learner-e", "2", NOW.plusSeconds(1)), "token-2"))
                .contains(first);

        assertThat(claims.find(new LearnerId("learner-e"))).contains(first);
    }

    @Test
    void createOrGet_aRetryOfItsOwnAppliedWrite_isRecognisedAsCreated() {
        LearnerClaim mine = claim("learner-f", "1", NOW);
        assertThat(claims.createOrGet(mine, "token-1")).isEmpty();

        // The SDK sends the same request again after a lost answer.
        assertThat(claims.createOrGet(mine, "token-1")).isEmpty();

        assertThat(claims.find(new LearnerId("learner-f"))).contains(mine);
    }

    @Test
    void createOrGet_keepsARepointedClaimAsItIs() {
        claims.createOrGet(claim("learner-g", "1", NOW), "token-1");
        claims.repoint(new LearnerId("learner-g"), new SandboxId("1"), new SandboxId("7"));

        assertThat(claims.createOrGet(claim("learner-g", "9", NOW.plusSeconds(5)), "token-2"))
                .contains(claim("learner-g", "7", NOW));
        assertThat(claims.createdBetween(NOW, NOW.plusSeconds(60)))
                .extracting(c -> c.learner().value())
                .containsExactly("learner-g");
    }

    @Test
    void repoint_onlyFromTheSandboxTheCallerSaw() {
        LearnerId learner = new LearnerId("learner-b");
        claims.create(claim("learner-b", "1", NOW));

        assertThat(claims.repoint(learner, new SandboxId("9"), new SandboxId("3")))
                .isFalse();
        assertThat(claims.repoint(learner, new SandboxId("1"), new SandboxId("3")))
                .isTrue();
        assertThat(claims.repoint(learner, new SandboxId("1"), new SandboxId("4")))
                .isFalse();

        LearnerClaim moved = claims.find(learner).orElseThrow();
        assertThat(moved.sandboxId()).isEqualTo(new SandboxId("3"));
        assertThat(moved.createdAt()).isEqualTo(NOW);
        assertThat(claims.repoint(new LearnerId("nobody"), new SandboxId("1"), new SandboxId("2")))
                .isFalse();
        assertThat(claims.find(new LearnerId("nobody"))).isEmpty();
    }

    @Test
    void bindKey_toTheFirstLearnerOnly_repeatsAreFine() {
        LearnerId learner = new LearnerId("learner-c");

        assertThat(claims.bindKey("custom-key", learner, NOW)).isTrue();
        assertThat(claims.bindKey("custom-key", learner, NOW.plusSeconds(5))).isTrue();
        assertThat(claims.bindKey("custom-key", new LearnerId("someone-else"), NOW))
                .isFalse();
        assertThat(claims.bindKey("other-key", new LearnerId("someone-else"), NOW))
                .isTrue();
    }

    @Test
    void createdBetween_findsTheClaimsOfTheWindowAcrossHours() {
        Instant from = Instant.parse("2026-11-27T08:30:00Z");
        Instant to = Instant.parse("2026-11-27T10:15:00Z");
        claims.create(claim("too-early", "1", from.minusSeconds(1)));
        claims.create(claim("at-start", "2", from));
        claims.create(claim("next-hour", "3", Instant.parse("2026-11-27T09:59:59Z")));
        claims.create(claim("last-second", "4", to.minusSeconds(1)));
        claims.create(claim("at-end", "5", to));

        assertThat(claims.createdBetween(from, to))
                .extracting(c -> c.learner().value())
                .containsExactlyInAnyOrder("at-start", "next-hour", "last-second");
        assertThat(claims.createdBetween(from, to)).contains(claim("at-start", "2", from));
    }

    @Test
    void removeIfUnchanged_onlyTheClaimAsItWasJudged() {
        LearnerClaim judged = claim("learner-d", "1", NOW);
        claims.create(judged);
        claims.repoint(judged.learner(), new SandboxId("1"), new SandboxId("2"));

        assertThat(claims.removeIfUnchanged(judged)).isFalse();
        LearnerClaim current = claims.find(judged.learner()).orElseThrow();
        assertThat(claims.removeIfUnchanged(new LearnerClaim(
                        current.learner(), current.sandboxId(), current.idempotencyKey(), NOW.plusSeconds(60))))
                .isFalse();
        assertThat(claims.removeIfUnchanged(current)).isTrue();
        assertThat(claims.find(judged.learner())).isEmpty();
        assertThat(claims.removeIfUnchanged(current))
                .as("gone already: a retried delete of our own")
                .isTrue();
        assertThat(claims.create(claim("learner-d", "5", NOW.plusSeconds(120)))).isTrue();
    }
}
