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
 */
final class CandidateBuffer {
    private static final Duration MAX_AGE = Duration.ofSeconds(2);
    private static final int MAX_PREFIXES = 256;

    private record Batch(Instant fetchedAt, ConcurrentLinkedQueue<Candidate> ids) {
    }

    private final SandboxRepository sandboxes;
    private final Clock clock;
    private final int batchSize;
    private final ConcurrentHashMap<String, Batch> byPrefix = new ConcurrentHashMap<>();
    private final Object[] refillLocks = new Object[16];

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
        if (buffered.isPresent()) {
            return buffered;
        }
        // One refill per prefix at a time: threads that ran dry together would otherwise read the
        // same shards and race each other for the same few sandboxes.
        synchronized (refillLock(prefix)) {
            buffered = poll(prefix);
            return buffered.isPresent() ? buffered : refill(prefix);
        }
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
        Batch batch = byPrefix.get(prefix);
        if (batch != null) {
            batch.ids().offer(candidate);
        }
    }

    private Optional<Candidate> refill(String prefix) {
        List<Candidate> fetched = new ArrayList<>(sandboxes.availableCandidates(prefix, batchSize));
        if (fetched.isEmpty()) {
            byPrefix.remove(prefix);
            return Optional.empty();
        }
        Collections.shuffle(fetched);
        Candidate mine = fetched.remove(fetched.size() - 1);
        if (byPrefix.size() >= MAX_PREFIXES) {
            // Prefixes come from a header; a bounded map keeps hostile variety from growing memory.
            byPrefix.clear();
        }
        byPrefix.put(prefix, new Batch(clock.instant(), new ConcurrentLinkedQueue<>(fetched)));
        return Optional.of(mine);
    }
}
