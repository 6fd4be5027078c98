package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.Candidate;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxPage;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The sandbox repository and claim store against a real dynalite: conditions hold, indexes stay exact. */
class DynamoSandboxRepositoryIT {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private String table;
    private DynamoSandboxRepository repository;
    private DynamoClaimStore claims;

    @BeforeEach
    void newTable() {
        table = TestDynamo.uniqueTable("repo");
        PoolTable.createIfMissing(TestDynamo.client(), table);
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 4);
        claims = new DynamoClaimStore(TestDynamo.client(), table, Duration.ofDays(14));
    }

    private SandboxId add(String id, String name) {
        SandboxId sandboxId = new SandboxId(id);
        assertThat(repository.addIfAbsent(
                        new ProviderSandbox(
                                sandboxId, name, "identity/accounts/uuid-" + id, "sfdc-" + id, NOW.minusSeconds(3600)),
                        NOW))
                .isTrue();
        return sandboxId;
    }

    private static LearnerClaim claimFor(String learner, SandboxId id) {
        return new LearnerClaim(new LearnerId(learner), id, learner, NOW);
    }

    @Test
    void addIfAbsent_existingSandbox_neverOverwritesIt() {
        SandboxId id = add("1", "lab-a-0001");
        repository.claim(id, claimFor("learner-1", id), null, NOW, NOW.plusSeconds(60), "test-write");

        boolean added = repository.addIfAbsent(new ProviderSandbox(id, "renamed", "x", null, NOW), NOW);

        assertThat(added).isFalse();
        Sandbox stored = repository.find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(SandboxStatus.ALLOCATED);
        assertThat(stored.name()).isEqualTo("lab-a-0001");
    }

    @Test
    void find_roundTripsEveryField() {
        SandboxId id = add("2", "lab-a-0002");
        Sandbox stored = repository.find(id).orElseThrow();

        assertThat(stored.name()).isEqualTo("lab-a-0002");
        assertThat(stored.externalId()).isEqualTo("identity/accounts/uuid-2");
        assertThat(stored.sfdcAccountId()).isEqualTo("sfdc-2");
        assertThat(stored.status()).isEqualTo(SandboxStatus.AVAILABLE);
        assertThat(stored.createdAt()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(stored.lastSynced()).isEqualTo(NOW);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(repository.find(new SandboxId("404"))).isEmpty();
    }

    @RepeatedTest(5)
    void availableCandidates_findsEveryAvailableSandboxWhateverTheShardAndDirection() {
        add("10", "lab-a-0001");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            repository.availableCandidates("", 5).forEach(c -> seen.add(c.id().value()));
        }
        assertThat(seen).containsExactly("10");
    }

    @Test
    void availableCandidates_onceAShardIsKnown_readsStartAtRandomNames_notOnlyAtItsEnds() {
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 1);
        for (int i = 0; i < 100; i++) {
            add("p" + i, String.format("lab-p-%04d", i));
        }
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            firsts.add(repository.availableCandidates("lab-p", 5).get(0).name());
        }

        // Reads from the ends only could start at two names; processes starting at the same one
        // would race each other for the same candidates.
        assertThat(firsts).hasSizeGreaterThan(10);
    }

    @Test
    void availableCandidates_fromARandomName_wrapsRound_andKeepsToThePrefix() {
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 1);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            add("m" + i, "lab-m-000" + i);
            expected.add("lab-m-000" + i);
            // Names on both sides of the prefix's range, in the same shard.
            add("l" + i, "lab-l-000" + i);
            add("n" + i, "lab-n-000" + i);
        }

        for (int i = 0; i < 30; i++) {
            assertThat(repository.availableCandidates("lab-m", 10))
                    .extracting(Candidate::name)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(repository.availableCandidates("lab-m", 3))
                    .hasSize(3)
                    .extracting(Candidate::name)
                    .allMatch(expected::contains);
        }
    }

    @Test
    void availableCandidates_fromARandomName_readsNoNameOfAnotherGroup() {
        List<String> namesRead = new CopyOnWriteArrayList<>();
        repository = new DynamoSandboxRepository(
                TestDynamo.clientWith(new ExecutionInterceptor() {
                    @Override
                    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                        if (context.response() instanceof QueryResponse response) {
                            response.items()
                                    .forEach(item -> namesRead.add(
                                            item.get(SandboxItem.NAME).s()));
                        }
                    }
                }),
                table,
                1);
        // A small group, and a big one whose names follow it in the shard.
        for (int i = 0; i < 10; i++) {
            add("s" + i, "lab-s-000" + i);
        }
        for (int i = 0; i < 200; i++) {
            add("t" + i, String.format("lab-t-%04d", i));
        }

        for (int i = 0; i < 30; i++) {
            assertThat(repository.availableCandidates("lab-s", 5)).hasSize(5);
        }

        // A read that starts near the end of lab-s stops there rather than reading lab-t's names.
        assertThat(namesRead).isNotEmpty().allMatch(name -> name.startsWith("lab-s-"));
    }

    @Test
    void pastThePrefix_isTheFirstNameAfterEveryNameWithIt() {
        assertThat(DynamoSandboxRepository.pastThePrefix("lab-s-")).contains("lab-s.");
        assertThat(DynamoSandboxRepository.pastThePrefix("lab~")).contains("lab\u007f");
        assertThat(DynamoSandboxRepository.pastThePrefix("")).isEmpty();
        assertThat(DynamoSandboxRepository.pastThePrefix("lab-\u00e9")).isEmpty();
    }

    @Test
    void availableCandidates_aShardReadToItsEnd_isReadAgainOnlyWhenEveryOtherIsToo() {
        DynamoCallCounter calls = new DynamoCallCounter(new MetricRegistry());
        repository = new DynamoSandboxRepository(TestDynamo.clientWith(calls), table, 4);
        for (int i = 0; i < 40; i++) {
            add("e" + i, String.format("lab-e-%04d", i));
        }

        // Each read takes all of one shard, and every candidate is claimed at once, as a busy
        // process would; the shards it emptied are no use to it until every shard is.
        List<Long> queriesPerRead = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        long before = calls.onThisThread();
        List<Candidate> found = repository.availableCandidates("lab-e", 100);
        while (!found.isEmpty()) {
            queriesPerRead.add(calls.onThisThread() - before);
            for (Candidate candidate : found) {
                assertThat(repository.claim(
                                candidate.id(),
                                claimFor("learner-" + candidate.id().value(), candidate.id()),
                                null,
                                NOW,
                                NOW.plusSeconds(3600),
                                "token"))
                        .isPresent();
                claimed.add(candidate.id().value());
            }
            before = calls.onThisThread();
            found = repository.availableCandidates("lab-e", 100);
        }

        assertThat(claimed).hasSize(40);
        assertThat(queriesPerRead).hasSizeLessThanOrEqualTo(4).allMatch(perRead -> perRead == 1);
        // With nothing left, every shard is read again: empty is never decided from memory.
        assertThat(calls.onThisThread() - before).isGreaterThanOrEqualTo(4);
    }

    @Test
    void availableCandidates_eachProcessKeepsToAShardOfItsOwn_whileItHasCandidates() {
        for (int i = 0; i < 400; i++) {
            add("q" + i, String.format("lab-q-%04d", i));
        }
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 8);

        Set<String> shardsOfOneProcess = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            repository.availableCandidates("lab-q", 5).forEach(c -> shardsOfOneProcess.add(shardOf(c)));
        }
        Set<String> firstShardsOfProcesses = new HashSet<>();
        for (int process = 0; process < 12; process++) {
            DynamoSandboxRepository another = new DynamoSandboxRepository(TestDynamo.client(), table, 8);
            firstShardsOfProcesses.add(
                    shardOf(another.availableCandidates("lab-q", 5).get(0)));
        }

        // Random starts within the shard spread one process's reads; the shard stays its own.
        assertThat(shardsOfOneProcess).hasSize(1);
        // Twelve processes reading one shard alike would race for the same candidates.
        assertThat(firstShardsOfProcesses).hasSizeGreaterThan(1);
    }

    @Test
    void availableCandidates_afterACandidateIsGone_itsShardIsReadLast() {
        for (int i = 0; i < 400; i++) {
            add("g" + i, String.format("lab-g-%04d", i));
        }
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 8);
        List<Candidate> first = repository.availableCandidates("lab-g", 5);
        String contested = shardOf(first.get(0));

        // Another process took it: two processes reading the same shard keep meeting there.
        repository.candidateGone("lab-g", first.get(1));
        Set<String> shardsAfter = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            repository.availableCandidates("lab-g", 5).forEach(c -> shardsAfter.add(shardOf(c)));
        }

        assertThat(shardsAfter).hasSize(1).doesNotContain(contested);
    }

    @Test
    void availableCandidates_processesStartingOnAShardFromTheSameEnd_pickDifferentOnes() {
        // One shard: every item is in it, and every process's first read goes from one of its two ends.
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 1);
        for (int i = 0; i < 100; i++) {
            add("e" + i, String.format("lab-e-%04d", i));
        }
        Set<SandboxId> firstReads = new HashSet<>();
        for (int process = 0; process < 12; process++) {
            DynamoSandboxRepository fresh = new DynamoSandboxRepository(TestDynamo.client(), table, 1);
            fresh.availableCandidates("lab-e", 5).forEach(c -> firstReads.add(c.id()));
        }

        // Five from each end would be at most ten: the same ones for every process that read it.
        assertThat(firstReads).hasSizeGreaterThan(10);
    }

    @Test
    void availableCandidates_aShardReadFromAnEndWithMoreThanWasGiven_isReadNextAgain() {
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 2);
        for (int i = 0; i < 60; i++) {
            add("w" + i, String.format("lab-w-%04d", i));
        }
        DynamoSandboxRepository fresh = new DynamoSandboxRepository(TestDynamo.client(), table, 2);

        // The first read of a shard reads up to forty from an end and gives ten: thirty-odd are
        // still there, so the shard is not "read to its end" and stays first.
        String first = shardOf(fresh.availableCandidates("lab-w", 10).get(0));
        String second = shardOf(fresh.availableCandidates("lab-w", 10).get(0));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void candidateGone_ofACandidateThisProcessNeverRead_changesNothing() {
        for (int i = 0; i < 400; i++) {
            add("n" + i, String.format("lab-n-%04d", i));
        }
        repository = new DynamoSandboxRepository(TestDynamo.client(), table, 8);
        String own = shardOf(repository.availableCandidates("lab-n", 5).get(0));

        repository.candidateGone("lab-n", new Candidate(new SandboxId("n-unknown"), "lab-n-9999"));

        assertThat(shardOf(repository.availableCandidates("lab-n", 5).get(0))).isEqualTo(own);
    }

    private String shardOf(Candidate candidate) {
        return TestDynamo.client()
                .getItem(b -> b.tableName(table).key(SandboxItem.key(candidate.id())))
                .item()
                .get(SandboxItem.AVAIL_SHARD)
                .s();
    }

    @Test
    void availableCandidates_withPrefix_onlyMatchingNames() {
        add("20", "lab-start-0001");
        add("21", "lab-start-0002");
        add("22", "lab-adventure-0001");

        Set<String> names = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            repository.availableCandidates("lab-start", 10).forEach(c -> names.add(c.name()));
        }

        assertThat(names).containsExactlyInAnyOrder("lab-start-0001", "lab-start-0002");
        assertThat(repository.availableCandidates("lab-none", 10)).isEmpty();
    }

    @Test
    void claim_onlyOnce_andTheSandboxLeavesTheAvailableIndex() {
        SandboxId id = add("30", "lab-a-0030");

        Optional<Sandbox> first =
                repository.claim(id, claimFor("learner-a", id), "track", NOW, NOW.plusSeconds(100), "test-write");
        Optional<Sandbox> second =
                repository.claim(id, claimFor("learner-b", id), "track", NOW, NOW.plusSeconds(100), "test-write");

        assertThat(first).isPresent();
        assertThat(first.get().learner().value()).isEqualTo("learner-a");
        assertThat(first.get().expiresAt()).isEqualTo(NOW.plusSeconds(100));
        assertThat(first.get().trackName()).isEqualTo("track");
        assertThat(first.get().version()).isEqualTo(2);
        assertThat(second).isEmpty();
        assertThat(repository.availableCandidates("", 10))
                .extracting(Candidate::id)
                .doesNotContain(id);
        Map<String, AttributeValue> raw = TestDynamo.client()
                .getItem(b -> b.tableName(table).key(SandboxItem.key(id)))
                .item();
        assertThat(raw).doesNotContainKey(SandboxItem.AVAIL_SHARD);
    }

    @Test
    void markForDeletion_requiresSameHolderAndVersion() {
        SandboxId id = add("40", "lab-a-0040");
        Sandbox held = repository
                .claim(id, claimFor("learner-a", id), null, NOW, NOW.plusSeconds(100), "test-write")
                .orElseThrow();

        Optional<Sandbox> marked = repository.markForDeletion(held, NOW.plusSeconds(5));
        Optional<Sandbox> stale = repository.markForDeletion(held, NOW.plusSeconds(6));

        assertThat(marked).isPresent();
        assertThat(marked.get().status()).isEqualTo(SandboxStatus.PENDING_DELETION);
        assertThat(marked.get().deletionRequestedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(stale).isEmpty();
    }

    @Test
    void page_walksEveryStatusWithARoundTrippingCursor() {
        for (int i = 0; i < 7; i++) {
            add("5" + i, String.format("lab-p-%04d", i));
        }
        SandboxId held = new SandboxId("50");
        repository.claim(held, claimFor("learner-p", held), null, NOW, NOW.plusSeconds(100), "test-write");

        List<String> ids = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            SandboxPage page = repository.page(Optional.empty(), 3, cursor);
            assertThat(page.sandboxes()).hasSizeLessThanOrEqualTo(3);
            page.sandboxes().forEach(s -> ids.add(s.id().value()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent() && pages < 10);

        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void page_byStatus_andForeignCursorIsAValidationError() {
        add("60", "lab-q-0001");
        add("61", "lab-q-0002");
        SandboxPage page = repository.page(Optional.of(SandboxStatus.AVAILABLE), 1, Optional.empty());

        assertThat(page.sandboxes()).hasSize(1);
        assertThat(page.nextCursor()).isPresent();
        assertThat(repository
                        .page(Optional.of(SandboxStatus.AVAILABLE), 1, page.nextCursor())
                        .sandboxes())
                .hasSize(1);
        assertThatThrownBy(() -> repository.page(Optional.of(SandboxStatus.STALE), 1, page.nextCursor()))
                .isInstanceOf(BrokerException.class);
        assertThatThrownBy(() -> repository.page(Optional.empty(), 1, Optional.of("not-a-cursor!!")))
                .isInstanceOf(BrokerException.class);
    }

    @Test
    void deleteIfStatus_onlyInThatStatus() {
        SandboxId id = add("70", "lab-d-0001");

        assertThat(repository.deleteIfStatus(id, SandboxStatus.STALE)).isFalse();
        assertThat(repository.deleteIfStatus(id, SandboxStatus.AVAILABLE)).isTrue();
        assertThat(repository.find(id)).isEmpty();
    }

    @Test
    void claims_createOnce_repointOnlyFromWhatWasSeen_bindKeysToOneLearner() {
        LearnerId learner = new LearnerId("learner-c");
        assertThat(claims.create(claimFor("learner-c", new SandboxId("1")))).isTrue();
        assertThat(claims.create(claimFor("learner-c", new SandboxId("2")))).isFalse();
        assertThat(claims.find(learner).orElseThrow().sandboxId().value()).isEqualTo("1");

        assertThat(claims.repoint(learner, new SandboxId("9"), new SandboxId("3")))
                .isFalse();
        assertThat(claims.repoint(learner, new SandboxId("1"), new SandboxId("3")))
                .isTrue();
        assertThat(claims.find(learner).orElseThrow().sandboxId().value()).isEqualTo("3");

        assertThat(claims.bindKey("custom-key", learner, NOW)).isTrue();
        assertThat(claims.bindKey("custom-key", learner, NOW)).isTrue();
        assertThat(claims.bindKey("custom-key", new LearnerId("someone-else"), NOW))
                .isFalse();
        assertThat(claims.find(new LearnerId("nobody"))).isEmpty();
    }
}
