package io.sandboxbroker.broker.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The sandbox port in memory, with the DynamoDB repository's semantics: every change is
 * conditional on the state the caller read, times are kept in whole seconds, a failed condition
 * is an empty result. {@link SandboxRepositoryContract} runs the same cases against both.
 *
 * <p>It can also lose a race on purpose: {@link #beforeNextClaim} runs just before the next
 * {@code claim}, as another process's write would land between a read and a conditional write.
 */
public final class InMemorySandboxRepository implements SandboxRepository {
    private static final char FIELD = '\u001f';
    private static final Comparator<Sandbox> LISTING_ORDER = Comparator.comparing(Sandbox::name)
            .thenComparing(sandbox -> sandbox.id().value());

    private final Map<SandboxId, Sandbox> items = new TreeMap<>(Comparator.comparing(SandboxId::value));
    private final AtomicInteger candidateQueries = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<SandboxId> gone = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Runnable beforeNextClaim = () -> {};
    private boolean loseNextClaimAnswer;

    /** How many times {@link #availableCandidates} was asked (an index query in DynamoDB). */
    public int candidateQueries() {
        return candidateQueries.get();
    }

    /** How many times {@link #find} was asked (a consistent GetItem in DynamoDB). */
    public int reads() {
        return reads.get();
    }

    /** Runs {@code interloper} once, just before the next {@code claim} is evaluated. */
    public synchronized void beforeNextClaim(Runnable interloper) {
        this.beforeNextClaim = interloper;
    }

    /**
     * The next {@code claim} is applied but answers as if its condition had failed: what the SDK
     * reports when a write's first attempt was applied, its answer lost, and the retry refused.
     */
    public synchronized void applyNextClaimButLoseTheAnswer() {
        this.loseNextClaimAnswer = true;
    }

    /** Puts an item as it is, whatever is there (test set-up, like a raw PutItem). */
    public synchronized void put(Sandbox sandbox) {
        items.put(sandbox.id(), sandbox);
    }

    @Override
    public synchronized Optional<Sandbox> find(SandboxId id) {
        reads.incrementAndGet();
        return Optional.ofNullable(items.get(id));
    }

    @Override
    public void candidateGone(String namePrefix, Candidate candidate) {
        gone.add(candidate.id());
    }

    /** The candidates {@link #candidateGone} was told of, in order. */
    public List<SandboxId> goneCandidates() {
        return List.copyOf(gone);
    }

    @Override
    public synchronized List<Candidate> availableCandidates(String namePrefix, int limit) {
        candidateQueries.incrementAndGet();
        return items.values().stream()
                .filter(sandbox -> sandbox.status() == SandboxStatus.AVAILABLE
                        && sandbox.name().startsWith(namePrefix))
                .sorted(LISTING_ORDER)
                .limit(limit)
                .map(sandbox -> new Candidate(sandbox.id(), sandbox.name()))
                .toList();
    }

    @Override
    public Optional<Sandbox> claim(
            SandboxId id, LearnerClaim claim, String trackName, Instant now, Instant expiresAt, String writeToken) {
        Runnable interloper;
        boolean loseAnswer;
        synchronized (this) {
            interloper = beforeNextClaim;
            beforeNextClaim = () -> {};
            loseAnswer = loseNextClaimAnswer;
            loseNextClaimAnswer = false;
        }
        interloper.run();
        Optional<Sandbox> claimed = update(
                id,
                s -> s.status() == SandboxStatus.AVAILABLE,
                s -> with(s, SandboxStatus.ALLOCATED)
                        .learner(claim.learner())
                        .trackName(trackName != null ? trackName : s.trackName())
                        .idempotencyKey(claim.idempotencyKey())
                        .allocatedAt(now)
                        .expiresAt(expiresAt)
                        .updatedAt(now)
                        .claimToken(writeToken)
                        .extensionCount(0)
                        .build());
        return loseAnswer ? Optional.empty() : claimed;
    }

    @Override
    public Optional<Sandbox> extend(Sandbox current, Instant expiresAt, Instant now) {
        return update(
                current.id(),
                sameAllocation(current),
                s -> with(s, SandboxStatus.ALLOCATED)
                        .expiresAt(expiresAt)
                        .extensionCount(s.extensionCount() + 1)
                        .updatedAt(now)
                        .build());
    }

    @Override
    public Optional<Sandbox> markForDeletion(Sandbox current, Instant now) {
        return update(current.id(), sameAllocation(current), s -> released(s, now));
    }

    @Override
    public synchronized boolean addIfAbsent(ProviderSandbox sandbox, Instant now) {
        if (items.containsKey(sandbox.id())) {
            return false;
        }
        String sfdc =
                sandbox.sfdcAccountId() == null || sandbox.sfdcAccountId().isEmpty() ? null : sandbox.sfdcAccountId();
        Instant at = seconds(now);
        items.put(
                sandbox.id(),
                new Sandbox(
                        sandbox.id(),
                        sandbox.name(),
                        sandbox.externalId(),
                        SandboxStatus.AVAILABLE,
                        sfdc,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        0,
                        at,
                        seconds(sandbox.createdAt() == null ? now : sandbox.createdAt()),
                        at,
                        null,
                        null,
                        null,
                        null,
                        1,
                        0,
                        null));
        return true;
    }

    /** Statuses in declaration order, each by name; the cursor names the last item returned. */
    @Override
    public synchronized SandboxPage page(Optional<SandboxStatus> status, int limit, Optional<String> cursor) {
        Optional<String[]> after = cursor.map(InMemorySandboxRepository::decode);
        if (status.isPresent()
                && after.isPresent()
                && !after.get()[0].equals(status.get().wire())) {
            throw invalidCursor();
        }
        List<Sandbox> ordered = items.values().stream()
                .filter(s -> status.isEmpty() || s.status() == status.get())
                .sorted(Comparator.comparing((Sandbox s) -> s.status().ordinal())
                        .thenComparing(LISTING_ORDER))
                .toList();
        int start = 0;
        if (after.isPresent()) {
            String[] last = after.get();
            while (start < ordered.size() && !isAfter(ordered.get(start), last)) {
                start++;
            }
        }
        List<Sandbox> found = ordered.subList(start, Math.min(ordered.size(), start + limit));
        if (start + found.size() >= ordered.size()) {
            return new SandboxPage(List.copyOf(found), Optional.empty());
        }
        Sandbox last = found.get(found.size() - 1);
        return new SandboxPage(List.copyOf(found), Optional.of(encode(last)));
    }

    private static boolean isAfter(Sandbox sandbox, String[] last) {
        SandboxStatus lastStatus = SandboxStatus.parse(last[0]).orElseThrow(InMemorySandboxRepository::invalidCursor);
        int byStatus = Integer.compare(sandbox.status().ordinal(), lastStatus.ordinal());
        if (byStatus != 0) {
            return byStatus > 0;
        }
        int byName = sandbox.name().compareTo(last[1]);
        return byName != 0 ? byName > 0 : sandbox.id().value().compareTo(last[2]) > 0;
    }

    private static String encode(Sandbox last) {
        String plain =
                last.status().wire() + FIELD + last.name() + FIELD + last.id().value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                    .split(String.valueOf(FIELD), -1);
            if (parts.length != 3 || SandboxStatus.parse(parts[0]).isEmpty()) {
                throw invalidCursor();
            }
            return parts;
        } catch (IllegalArgumentException notBase64) {
            throw invalidCursor();
        }
    }

    private static BrokerException invalidCursor() {
        return new BrokerException(BrokerException.Reason.VALIDATION_ERROR, "cursor is not valid");
    }

    @Override
    public void forEach(SandboxStatus status, Consumer<Sandbox> visitor) {
        List<Sandbox> matching;
        synchronized (this) {
            matching = items.values().stream()
                    .filter(s -> s.status() == status)
                    .sorted(LISTING_ORDER)
                    .toList();
        }
        matching.forEach(visitor);
    }

    @Override
    public synchronized boolean deleteIfStatus(SandboxId id, SandboxStatus status) {
        Sandbox stored = items.get(id);
        if (stored == null) {
            return true;
        }
        if (stored.status() != status) {
            return false;
        }
        items.remove(id);
        return true;
    }

    @Override
    public Optional<Sandbox> markStale(SandboxId id, Instant now) {
        return update(
                id,
                s -> s.status() == SandboxStatus.AVAILABLE,
                s -> with(s, SandboxStatus.STALE)
                        .staleSince(now)
                        .lastSynced(now)
                        .updatedAt(now)
                        .build());
    }

    @Override
    public Optional<Sandbox> revive(SandboxId id, Instant now) {
        return update(
                id,
                s -> s.status() == SandboxStatus.STALE,
                s -> with(s, SandboxStatus.AVAILABLE)
                        .staleSince(null)
                        .lastSynced(now)
                        .updatedAt(now)
                        .build());
    }

    @Override
    public Optional<Sandbox> expire(Sandbox current, Instant now) {
        if (current.learner() == null) {
            return Optional.empty();
        }
        return update(current.id(), sameAllocation(current), s -> released(s, now));
    }

    @Override
    public Optional<Sandbox> deferDeletion(Sandbox current, String reason, Instant nextAttemptAt, Instant now) {
        return update(
                current.id(),
                samePending(current),
                s -> with(s, SandboxStatus.PENDING_DELETION)
                        .deletionRetryCount(s.deletionRetryCount() + 1)
                        .nextAttemptAt(nextAttemptAt)
                        .deletionFailure(nonEmpty(reason))
                        .updatedAt(now)
                        .build());
    }

    @Override
    public Optional<Sandbox> markDeleted(Sandbox current, Instant now, Instant removeAt) {
        return update(
                current.id(),
                samePending(current),
                s -> with(s, SandboxStatus.DELETED)
                        .deletionRetryCount(current.deletionRetryCount() + 1)
                        .nextAttemptAt(null)
                        .deletionFailure(null)
                        .updatedAt(now)
                        .build());
    }

    @Override
    public Optional<Sandbox> markDeletionFailed(Sandbox current, String reason, Instant now) {
        return update(
                current.id(),
                samePending(current),
                s -> with(s, SandboxStatus.DELETION_FAILED)
                        .deletionRetryCount(current.deletionRetryCount() + 1)
                        .nextAttemptAt(null)
                        .deletionFailure(nonEmpty(reason))
                        .updatedAt(now)
                        .build());
    }

    @Override
    public Optional<Sandbox> retryDeletion(Sandbox current, Instant now) {
        return update(
                current.id(),
                s -> s.status() == SandboxStatus.DELETION_FAILED && s.version() == current.version(),
                s -> with(s, SandboxStatus.PENDING_DELETION)
                        .deletionRetryCount(0)
                        .nextAttemptAt(null)
                        .updatedAt(now)
                        .build());
    }

    @Override
    public synchronized boolean removeStale(Sandbox current) {
        Sandbox stored = items.get(current.id());
        if (stored == null) {
            return true;
        }
        if (stored.status() != SandboxStatus.STALE
                || !java.util.Objects.equals(stored.staleSince(), current.staleSince())) {
            return false;
        }
        items.remove(current.id());
        return true;
    }

    /** The end of an allocation: pending_deletion, or quarantined (from pending_deletion) while held. */
    private static Sandbox released(Sandbox s, Instant now) {
        if (s.quarantine() != null) {
            return with(s, SandboxStatus.QUARANTINED)
                    .deletionRequestedAt(now)
                    .updatedAt(now)
                    .quarantine(new Quarantine(s.quarantine().reason(), SandboxStatus.PENDING_DELETION))
                    .build();
        }
        return with(s, SandboxStatus.PENDING_DELETION)
                .deletionRequestedAt(now)
                .updatedAt(now)
                .build();
    }

    @Override
    public Optional<Sandbox> quarantine(Sandbox current, String reason, Instant now) {
        return update(current.id(), s -> s.version() == current.version() && s.quarantine() == null, s -> {
            if (s.status() == SandboxStatus.ALLOCATED) {
                return with(s, SandboxStatus.ALLOCATED)
                        .quarantine(new Quarantine(reason, SandboxStatus.ALLOCATED))
                        .updatedAt(now)
                        .build();
            }
            return with(s, SandboxStatus.QUARANTINED)
                    .quarantine(new Quarantine(reason, s.status()))
                    .updatedAt(now)
                    .build();
        });
    }

    @Override
    public Optional<Sandbox> releaseQuarantine(Sandbox current, Instant now) {
        return update(
                current.id(),
                s -> s.version() == current.version() && s.quarantine() != null,
                s -> with(
                                s,
                                s.status() == SandboxStatus.ALLOCATED
                                        ? SandboxStatus.ALLOCATED
                                        : s.quarantine().from())
                        .quarantine(null)
                        .updatedAt(now)
                        .build());
    }

    private static Predicate<Sandbox> sameAllocation(Sandbox current) {
        return s -> s.status() == SandboxStatus.ALLOCATED
                && s.isHeldBy(current.learner())
                && s.version() == current.version();
    }

    private static Predicate<Sandbox> samePending(Sandbox current) {
        return s -> s.status() == SandboxStatus.PENDING_DELETION && s.version() == current.version();
    }

    private synchronized Optional<Sandbox> update(
            SandboxId id, Predicate<Sandbox> condition, UnaryOperator<Sandbox> change) {
        Sandbox stored = items.get(id);
        if (stored == null || !condition.test(stored)) {
            return Optional.empty();
        }
        Sandbox changed = change.apply(stored);
        items.put(id, changed);
        return Optional.of(changed);
    }

    private static String nonEmpty(String reason) {
        return reason == null || reason.isEmpty() ? "unknown" : reason;
    }

    private static Instant seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static Builder with(Sandbox s, SandboxStatus status) {
        return new Builder(s, status);
    }

    /** A changed copy: one more version, times in whole seconds as the table stores them. */
    private static final class Builder {
        private final Sandbox s;
        private final SandboxStatus status;
        private LearnerId learner;
        private String trackName;
        private String idempotencyKey;
        private Instant allocatedAt;
        private Instant expiresAt;
        private Instant deletionRequestedAt;
        private int deletionRetryCount;
        private Instant lastSynced;
        private Instant updatedAt;
        private Instant nextAttemptAt;
        private Instant staleSince;
        private String deletionFailure;
        private String claimToken;
        private int extensionCount;
        private Quarantine quarantine;

        Builder(Sandbox s, SandboxStatus status) {
            this.s = s;
            this.status = status;
            learner = s.learner();
            trackName = s.trackName();
            idempotencyKey = s.idempotencyKey();
            allocatedAt = s.allocatedAt();
            expiresAt = s.expiresAt();
            deletionRequestedAt = s.deletionRequestedAt();
            deletionRetryCount = s.deletionRetryCount();
            lastSynced = s.lastSynced();
            updatedAt = s.updatedAt();
            nextAttemptAt = s.nextAttemptAt();
            staleSince = s.staleSince();
            deletionFailure = s.deletionFailure();
            claimToken = s.claimToken();
            extensionCount = s.extensionCount();
            quarantine = s.quarantine();
        }

        Builder learner(LearnerId value) {
            learner = value;
            return this;
        }

        Builder trackName(String value) {
            trackName = value;
            return this;
        }

        Builder idempotencyKey(String value) {
            idempotencyKey = value;
            return this;
        }

        Builder allocatedAt(Instant value) {
            allocatedAt = value;
            return this;
        }

        Builder expiresAt(Instant value) {
            expiresAt = value;
            return this;
        }

        Builder deletionRequestedAt(Instant value) {
            deletionRequestedAt = value;
            return this;
        }

        Builder deletionRetryCount(int value) {
            deletionRetryCount = value;
            return this;
        }

        Builder lastSynced(Instant value) {
            lastSynced = value;
            return this;
        }

        Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        Builder nextAttemptAt(Instant value) {
            nextAttemptAt = value;
            return this;
        }

        Builder staleSince(Instant value) {
            staleSince = value;
            return this;
        }

        Builder deletionFailure(String value) {
            deletionFailure = value;
            return this;
        }

        Builder claimToken(String value) {
            claimToken = value;
            return this;
        }

        Builder extensionCount(int value) {
            extensionCount = value;
            return this;
        }

        Builder quarantine(Quarantine value) {
            quarantine = value;
            return this;
        }

        Sandbox build() {
            return new Sandbox(
                    s.id(),
                    s.name(),
                    s.externalId(),
                    status,
                    s.sfdcAccountId(),
                    learner,
                    trackName,
                    idempotencyKey,
                    seconds(allocatedAt),
                    seconds(expiresAt),
                    seconds(deletionRequestedAt),
                    deletionRetryCount,
                    seconds(lastSynced),
                    s.createdAt(),
                    seconds(updatedAt),
                    seconds(nextAttemptAt),
                    seconds(staleSince),
                    deletionFailure,
                    claimToken,
                    s.version() + 1,
                    extensionCount,
                    quarantine);
        }
    }
}
