package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.db.DynamoClaimStore;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lab scripts' contract: allocate, read, mark for deletion, with every header and error code. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LabApiIT {
    private static final String TABLE = TestDynamo.uniqueTable("lab-api");
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(CLOCK, TABLE);

    private static LabClient client() {
        return LabClient.at(APP.getLocalPort());
    }

    /** Each test its own name group, so tests never take each other's sandboxes. */
    private static LabClient inGroup(String group, int sandboxes) {
        Pool.of(TABLE).seed(group, sandboxes);
        return client().with("X-Sandbox-Name-Prefix", group);
    }

    private static String learner() {
        return "learner-" + UUID.randomUUID();
    }

    @Test
    void allocate_newLearner_201WithTheContractFieldsAndExpiryFromLabDuration() {
        Reply reply = inGroup("fields", 3).lab(learner()).post("/v1/allocate");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "sandbox_id", "name", "external_id", "allocated_at", "expires_at", "sfdc_account_id");
        assertThat(reply.text("name")).startsWith("fields-");
        assertThat(reply.text("external_id")).startsWith("identity/accounts/");
        // Unix seconds, as the replaced system sent them (the lab scripts pass them to time.gmtime).
        assertThat(reply.body().path("allocated_at").isIntegralNumber()).isTrue();
        Instant allocatedAt =
                Instant.ofEpochSecond(reply.body().path("allocated_at").asLong());
        assertThat(allocatedAt).isEqualTo(CLOCK.instant().truncatedTo(ChronoUnit.SECONDS));
        assertThat(Instant.ofEpochSecond(reply.body().path("expires_at").asLong()))
                .isEqualTo(allocatedAt.plus(Duration.ofHours(48)));
        assertThat(reply.header("X-Request-ID")).isNotBlank();
    }

    @Test
    void allocate_retry_200WithTheSameSandboxAndSameExpiry() {
        LabClient lab = inGroup("replay", 3).lab(learner());
        Reply first = lab.post("/v1/allocate");
        CLOCK.advance(Duration.ofMinutes(5));
        Reply again = lab.post("/v1/allocate");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
    }

    @Test
    void allocate_legacyTrackIdHeader_isTheLearnerId() {
        String learner = learner();
        LabClient legacy = inGroup("legacy", 2)
                .with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN)
                .with("X-Track-ID", learner);
        Reply allocated = legacy.post("/v1/allocate");

        Reply read = client().lab(learner).get("/v1/sandboxes/" + allocated.text("sandbox_id"));
        assertThat(allocated.status()).isEqualTo(201);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("allocated_to_track")).isEqualTo(learner);
    }

    @Test
    void allocate_trackHeader_isStoredAsTrackName() {
        String learner = learner();
        Reply allocated = inGroup("track", 2)
                .with("X-Instruqt-Track-ID", "dns-basics")
                .lab(learner)
                .post("/v1/allocate");

        Reply read = client().lab(learner).get("/v1/sandboxes/" + allocated.text("sandbox_id"));
        assertThat(read.body().fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "sandbox_id",
                        "name",
                        "external_id",
                        "status",
                        "allocated_to_track",
                        "allocated_at",
                        "expires_at",
                        "track_name",
                        "sfdc_account_id");
        assertThat(read.text("track_name")).isEqualTo("dns-basics");
        assertThat(read.text("status")).isEqualTo("allocated");
    }

    @Test
    void allocate_rotatedLabToken_isAcceptedToo() {
        Reply reply = inGroup("rotation", 1)
                .with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN_ROTATED)
                .with("X-Instruqt-Sandbox-ID", learner())
                .post("/v1/allocate");

        assertThat(reply.status()).isEqualTo(201);
    }

    @Test
    void allocate_namePrefix_onlyThatGroupAnd409WhenItRunsOutWhileOthersRemain() {
        Pool pool = Pool.of(TABLE);
        pool.seed("lab-start", 3);
        pool.seed("lab-adventure", 3);
        LabClient start = client().with("X-Sandbox-Name-Prefix", "lab-start");

        for (int i = 0; i < 3; i++) {
            Reply reply = start.lab(learner()).post("/v1/allocate");
            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.text("name")).startsWith("lab-start-");
        }
        Reply exhausted = start.lab(learner()).post("/v1/allocate");

        assertThat(exhausted.status()).isEqualTo(409);
        assertThat(exhausted.code()).isEqualTo("NO_SANDBOXES_AVAILABLE");
        assertThat(exhausted.body().path("detail").path("retry_after").asLong()).isPositive();
        assertThat(exhausted.header("Retry-After")).isNotBlank();
        Reply other = client().with("X-Sandbox-Name-Prefix", "lab-adventure")
                .lab(learner())
                .post("/v1/allocate");
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.text("name")).startsWith("lab-adventure-");
    }

    @Test
    void allocate_whenPoolIsEmpty_stillReplaysTheLearnersSandbox() {
        LabClient lab = inGroup("last-one", 1).lab(learner());
        Reply first = lab.post("/v1/allocate");

        Reply replay = lab.post("/v1/allocate");

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.text("sandbox_id")).isEqualTo(first.text("sandbox_id"));
    }

    @Test
    void allocate_idempotencyKeyOfAnotherLearner_409AndNothingAllocated() {
        LabClient group = inGroup("keys", 3);
        String key = "key-" + UUID.randomUUID();
        Reply owner = group.with("Idempotency-Key", key).lab(learner()).post("/v1/allocate");

        String intruder = learner();
        Reply stolen = group.with("Idempotency-Key", key).lab(intruder).post("/v1/allocate");

        assertThat(owner.status()).isEqualTo(201);
        assertThat(stolen.status()).isEqualTo(409);
        assertThat(stolen.code()).isEqualTo("IDEMPOTENCY_KEY_CONFLICT");
        assertThat(stolen.body().toString()).doesNotContain(owner.text("sandbox_id"));
        assertThat(Pool.of(TABLE).all(SandboxStatus.ALLOCATED))
                .noneMatch(s -> s.learner().value().equals(intruder));
    }

    @Test
    void allocate_anotherLearnersIdAsIdempotencyKey_neverRevealsTheirSandbox() {
        LabClient group = inGroup("squat", 3);
        String victim = learner();
        Reply victimsSandbox = group.lab(victim).post("/v1/allocate");

        Reply attacker = group.with("Idempotency-Key", victim).lab(learner()).post("/v1/allocate");

        assertThat(attacker.text("sandbox_id")).isNotEqualTo(victimsSandbox.text("sandbox_id"));
    }

    @Test
    void allocate_afterACrashBetweenTheClaimAndTheSandboxWrite_theNextAttemptFinishesTheClaim() {
        List<SandboxId> ids = Pool.of(TABLE).seed("crash", 2);
        String learner = learner();
        // What a process that died right after its first write leaves behind.
        new DynamoClaimStore(TestDynamo.client(), TABLE, Duration.ofDays(1))
                .create(new LearnerClaim(new LearnerId(learner), ids.get(0), learner, CLOCK.instant()));

        Reply retry =
                client().with("X-Sandbox-Name-Prefix", "crash").lab(learner).post("/v1/allocate");

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("sandbox_id")).isEqualTo(ids.get(0).value());
        assertThat(Pool.of(TABLE).repository().find(ids.get(1)).orElseThrow().status())
                .isEqualTo(SandboxStatus.AVAILABLE);
    }

    @Test
    void allocate_afterACrash_whenTheCandidateWentToSomeoneElse_getsAnotherSandbox() {
        List<SandboxId> ids = Pool.of(TABLE).seed("crash-taken", 2);
        String learner = learner();
        new DynamoClaimStore(TestDynamo.client(), TABLE, Duration.ofDays(1))
                .create(new LearnerClaim(new LearnerId(learner), ids.get(0), learner, CLOCK.instant()));
        String other = learner();
        Pool.of(TABLE)
                .repository()
                .claim(
                        ids.get(0),
                        new LearnerClaim(new LearnerId(other), ids.get(0), other, CLOCK.instant()),
                        null,
                        CLOCK.instant(),
                        CLOCK.instant().plusSeconds(3600),
                        "test-write")
                .orElseThrow();

        Reply retry = client().with("X-Sandbox-Name-Prefix", "crash-taken")
                .lab(learner)
                .post("/v1/allocate");

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("sandbox_id")).isEqualTo(ids.get(1).value());
        assertThat(Pool.of(TABLE).all(SandboxStatus.ALLOCATED))
                .filteredOn(s -> s.name().startsWith("crash-taken"))
                .extracting(s -> s.learner().value())
                .doesNotHaveDuplicates()
                .hasSize(2);
    }

    @Test
    void get_byAnotherLearner_403WithoutNamingTheHolder() {
        String holder = learner();
        Reply allocated = inGroup("privacy", 1).lab(holder).post("/v1/allocate");

        Reply peek = client().lab(learner()).get("/v1/sandboxes/" + allocated.text("sandbox_id"));
        Reply mark =
                client().lab(learner()).post("/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion");

        assertThat(peek.status()).isEqualTo(403);
        assertThat(peek.code()).isEqualTo("NOT_SANDBOX_OWNER");
        assertThat(peek.raw().body()).doesNotContain(holder);
        assertThat(mark.status()).isEqualTo(403);
        assertThat(mark.code()).isEqualTo("NOT_SANDBOX_OWNER");
        assertThat(mark.raw().body()).doesNotContain(holder);
        assertThat(Pool.of(TABLE)
                        .repository()
                        .find(new SandboxId(allocated.text("sandbox_id")))
                        .orElseThrow()
                        .status())
                .isEqualTo(SandboxStatus.ALLOCATED);
    }

    @Test
    void get_unknownSandbox_404() {
        Reply reply = client().lab(learner()).get("/v1/sandboxes/999999999");
        Reply mark = client().lab(learner()).post("/v1/sandboxes/999999999/mark-for-deletion");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("SANDBOX_NOT_FOUND");
        assertThat(mark.status()).isEqualTo(404);
        assertThat(mark.code()).isEqualTo("SANDBOX_NOT_FOUND");
    }

    @Test
    void markForDeletion_byOwnerTwice_200BothTimesWithCurrentStatus() {
        String learner = learner();
        Reply allocated = inGroup("release", 1).lab(learner).post("/v1/allocate");
        String path = "/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion";

        Reply first = client().lab(learner).post(path);
        Reply repeat = client().lab(learner).post(path);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text("status")).isEqualTo("pending_deletion");
        assertThat(first.body().path("deletion_requested_at").isIntegralNumber())
                .isTrue();
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.body()).isEqualTo(first.body());
    }

    @Test
    void markForDeletion_pastExpiry_403AllocationExpired() {
        String learner = learner();
        Reply allocated = inGroup("expired", 1).lab(learner).post("/v1/allocate");
        Instant expiresAt =
                Instant.ofEpochSecond(allocated.body().path("expires_at").asLong());
        CLOCK.advance(Duration.between(CLOCK.instant(), expiresAt).plusSeconds(1));

        Reply late = client().lab(learner).post("/v1/sandboxes/" + allocated.text("sandbox_id") + "/mark-for-deletion");

        assertThat(late.status()).isEqualTo(403);
        assertThat(late.code()).isEqualTo("ALLOCATION_EXPIRED");
    }
}
