package io.sandboxbroker.broker.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps a few candidate ids per name prefix so that most allocations need no index query, and
 * so that threads of one process never race each other for the same sandbox. Entries go stale
 * quickly: another process may take them, which only costs a lost conditional write.
 *
 * <p>A candidate handed out stays in the index until its claim is written, and in DynamoDB's
 * index a little longer: a refill while earlier candidates are still being claimed would read
 * them again. So ids handed out recently are remembered and skipped by the next refills (the
 * query asks for that many more); only when a query finds nothing else are they handed out
 * again, since "empty" is never decided from memory.
 */
final class CandidateBuffer {
    private static final Duration MAX_AGE = Duration.ofSeconds(2);
    private static final int MAX_PREFIXES = 256;
    /** Longer than a claim takes, even on a slow storage call; bounded in size below. */
    private static final Duration RECENT = Duration.ofSeconds(10);
    private static final int MAX_RECENT = 100_000;
    /** At most this many batches' worth of ids are read to find a batch of fresh ones. */
    private static final int MAX_QUERY_BATCHES = 4;

    private record Batch(Instant fetchedAt, ConcurrentLinkedQueue<Candidate> ids) {
    }

    private final SandboxRepository sandboxes;
    private final Clock clock;
    private final int batchSize;
    private final ConcurrentHashMap<String, Batch> byPrefix = new ConcurrentHashMap<>();
    private final Object[] refillLocks = new Object[16];
    private final ConcurrentHashMap<SandboxId, Instant> handedOut = new ConcurrentHashMap<>();

    CandidateBuffer(SandboxRepository sandboxes, Clock clock, int batchSize) {
        this.sandboxes = sandboxes;
        this.clock = clock;
        this.batchSize = batchSize;
        for (int i = 0; i < refillLocks.length; i++) {
            refillLocks[i] = new Object();
        }
    }

    /** A candidate for the prefix, or empty when the pool has none. */
    Optional<Candidate> next(String prefix) {
        Optional<Candidate> buffered = poll(prefix);
        if (buffered.isEmpty()) {
            // One refill per prefix at a time: threads that ran dry together would otherwise read the
            // same shards and race each other for the same few sandboxes.
            synchronized (refillLock(prefix)) {
                buffered = poll(prefix);
                if (buffered.isEmpty()) {
                    buffered = refill(prefix);
                }
            }
        }
        buffered.ifPresent(candidate -> handedOut.put(candidate.id(), clock.instant()));
        return buffered;
    }

    private Optional<Candidate> poll(String prefix) {
        Batch batch = byPrefix.get(prefix);
        if (batch != null && clock.instant().isBefore(batch.fetchedAt().plus(MAX_AGE))) {
            return Optional.ofNullable(batch.ids().poll());
        }
        return Optional.empty();
    }

    private Object refillLock(String prefix) {
        return refillLocks[Math.floorMod(prefix.hashCode(), refillLocks.length)];
    }

    /** Gives back a candidate that was not used, so the next caller need not query for one. */
    void putBack(String prefix, Candidate candidate) {
        handedOut.remove(candidate.id());
        Batch batch = byPrefix.get(prefix);
        if (batch != null) {
            batch.ids().offer(candidate);
        }
    }

    private Optional<Candidate> refill(String prefix) {
        forgetOlderThan(clock.instant().minus(RECENT));
        int limit = Math.min(batchSize * MAX_QUERY_BATCHES, batchSize + handedOut.size());
        List<Candidate> all = sandboxes.availableCandidates(prefix, limit);
        if (all.isEmpty()) {
            byPrefix.remove(prefix);
            return Optional.empty();
        }
        List<Candidate> fetched = new ArrayList<>(all.stream().filter(c -> !handedOut.containsKey(c.id())).toList());
        if (fetched.isEmpty()) {
            // Nothing but candidates still being claimed (by this process): a lost race costs less
            // than telling a learner the pool is empty.
            fetched.addAll(all);
        }
        Collections.shuffle(fetched);
        if (fetched.size() > batchSize) {
            // A random part of what was read: another process reading the same end of the same
            // shard then picks mostly other sandboxes.
            fetched = new ArrayList<>(fetched.subList(0, batchSize));
        }
        Candidate mine = fetched.remove(fetched.size() - 1);
        if (byPrefix.size() >= MAX_PREFIXES) {
            // Prefixes come from a header; a bounded map keeps hostile variety from growing memory.
            byPrefix.clear();
        }
        byPrefix.put(prefix, new Batch(clock.instant(), new ConcurrentLinkedQueue<>(fetched)));
        return Optional.of(mine);
    }

    private void forgetOlderThan(Instant cutoff) {
        if (handedOut.size() > MAX_RECENT) {
            handedOut.clear();
            return;
        }
        handedOut.values().removeIf(at -> at.isBefore(cutoff));
    }
}
