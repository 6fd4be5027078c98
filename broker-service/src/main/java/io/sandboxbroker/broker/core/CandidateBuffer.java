package io.sandboxbroker.broker.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a few candidate ids per name prefix so that most allocations need no index query, and
 * so that threads of one process never race each other for the same sandbox. Entries go stale
 * quickly: another process may take them, which only costs a lost conditional write.
 *
 * <p>The buffer is refilled ahead, by the caller that takes it below half a batch (a full batch
 * when batches go fast, and then a read keeps two), while the others keep taking what is left: a refill only when it ran
 * dry would hold every concurrent caller for the length of an index query, once per batch. At a
 * slow pace the buffer is not read ahead that far, or its entries would go stale unused.
 *
 * <p>A candidate handed out stays in the index until its claim is written, and in DynamoDB's
 * index a little longer, so ids this process holds (buffered, or handed out in the last few
 * seconds) are skipped by refills. A query asks for as many more as are buffered, and twice as
 * many as the last read met of those handed out; a read left with less than a batch by them is
 * followed by one that asks for more. Only a caller left with nothing takes such an id again,
 * since "empty" is never decided from memory.
 */
final class CandidateBuffer {
    private static final Duration MAX_AGE = Duration.ofSeconds(2);
    private static final int MAX_PREFIXES = 256;
    /** Longer than a claim takes, even on a slow storage call; bounded in size below. */
    private static final Duration RECENT = Duration.ofSeconds(10);

    private static final int MAX_RECENT = 100_000;
    /** At most this many batches' worth of ids are read to find a batch of fresh ones. */
    private static final int MAX_QUERY_BATCHES = 4;
    /** Further reads (each of a random shard) before a caller with nothing takes a held id again. */
    private static final int DRY_RETRIES = 2;

    private record Entry(Candidate candidate, Instant fetchedAt) {}

    /** Batches read less than this apart mean many callers at once: keep a full batch ahead. */
    private static final Duration FAST = Duration.ofSeconds(1);
    /** Batches one read keeps while callers are many. */
    private static final int FAST_BATCHES = 2;

    /** One prefix's candidates; reading ahead pays only while the index gives full batches. */
    private static final class Queue {
        final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
        volatile boolean readAhead;
        volatile boolean fast;
        volatile Instant lastRefill = Instant.MIN;
        /** Ids this process handed out that the last read still met in the index. */
        volatile int handedOutSeen;
    }

    private final SandboxRepository sandboxes;
    private final Clock clock;
    private final int batchSize;
    private final int refillBelow;
    private final ConcurrentHashMap<String, Queue> byPrefix = new ConcurrentHashMap<>();
    private final ReentrantLock[] refillLocks = new ReentrantLock[16];
    /** Ids buffered or handed out by this process, and since when. */
    private final ConcurrentHashMap<SandboxId, Instant> held = new ConcurrentHashMap<>();

    CandidateBuffer(SandboxRepository sandboxes, Clock clock, int batchSize) {
        this.sandboxes = sandboxes;
        this.clock = clock;
        this.batchSize = batchSize;
        this.refillBelow = Math.max(1, batchSize / 2);
        for (int i = 0; i < refillLocks.length; i++) {
            refillLocks[i] = new ReentrantLock();
        }
    }

    /** A candidate for the prefix, or empty when the pool has none. */
    Optional<Candidate> next(String prefix) {
        ReentrantLock lock = refillLock(prefix);
        Optional<Candidate> taken = poll(prefix);
        if (taken.isEmpty()) {
            // One refill per prefix at a time: threads that ran dry together would otherwise read the
            // same shards and race each other for the same few sandboxes.
            lock.lock();
            try {
                taken = poll(prefix);
                if (taken.isEmpty()) {
                    taken = refill(prefix, true);
                }
            } finally {
                lock.unlock();
            }
        } else if (worthReadingAhead(prefix) && lock.tryLock()) {
            try {
                if (worthReadingAhead(prefix)) {
                    refill(prefix, false);
                }
            } finally {
                lock.unlock();
            }
        }
        taken.ifPresent(candidate -> held.put(candidate.id(), clock.instant()));
        return taken;
    }

    /** Gives back a candidate that was not used, so the next caller need not query for one. */
    void putBack(String prefix, Candidate candidate) {
        Queue queue = byPrefix.get(prefix);
        if (queue != null) {
            queue.entries.offer(new Entry(candidate, clock.instant()));
        } else {
            held.remove(candidate.id());
        }
    }

    /**
     * The candidate was claimed by another process (or thread) first. What this process read with
     * it, or before, came from the same part of the index, which the other process reads too; at
     * the end of a pool both hold the same last few. A caller walking such a buffer lost one race
     * after another, until its attempts ran out while the pool still had a sandbox for it. So
     * those candidates are dropped, and the next caller reads the index afresh.
     */
    void lost(String prefix, Candidate candidate) {
        sandboxes.candidateGone(prefix, candidate);
        Queue queue = byPrefix.get(prefix);
        if (queue == null) {
            return;
        }
        // The lost one stays held, so a fresh read skips it while the index may still list it.
        Instant handedOut = held.getOrDefault(candidate.id(), clock.instant());
        for (Entry entry : queue.entries) {
            if (!entry.fetchedAt().isAfter(handedOut) && queue.entries.remove(entry)) {
                held.remove(entry.candidate().id());
            }
        }
    }

    private Optional<Candidate> poll(String prefix) {
        Queue queue = byPrefix.get(prefix);
        if (queue == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (Entry entry = queue.entries.poll(); entry != null; entry = queue.entries.poll()) {
            if (now.isBefore(entry.fetchedAt().plus(MAX_AGE))) {
                return Optional.of(entry.candidate());
            }
            held.remove(entry.candidate().id());
        }
        return Optional.empty();
    }

    private boolean worthReadingAhead(String prefix) {
        Queue queue = byPrefix.get(prefix);
        return queue != null && queue.readAhead && queue.entries.size() < (queue.fast ? batchSize : refillBelow);
    }

    private ReentrantLock refillLock(String prefix) {
        return refillLocks[Math.floorMod(prefix.hashCode(), refillLocks.length)];
    }

    /**
     * Adds up to a batch of candidates this process does not hold yet. A caller with nothing
     * ({@code dry}) gets one of them straight away (callers outside the lock may empty the queue
     * at once), and also takes held ones when the index shows nothing else.
     */
    private Optional<Candidate> refill(String prefix, boolean dry) {
        Instant now = clock.instant();
        forgetOlderThan(now.minus(RECENT));
        Queue known = byPrefix.get(prefix);
        boolean fast = known != null && now.isBefore(known.lastRefill.plus(FAST));
        // Many callers at once empty a batch in about the time one read takes, and wait for the
        // next read: then a read keeps two batches.
        int keep = fast ? batchSize * FAST_BATCHES : batchSize;
        int most = keep * MAX_QUERY_BATCHES;
        // The buffered ids are in the index. Of the thousands a busy process handed out in the last
        // seconds, it still lists only those being claimed: asking for as many more as the process
        // holds read four batches to keep one. The last read says how many it meets; twice that.
        int buffered = known == null ? 0 : known.entries.size();
        int limit = Math.min(most, keep + buffered + 2 * (known == null ? 0 : known.handedOutSeen));
        List<Candidate> all = sandboxes.availableCandidates(prefix, limit);
        List<Candidate> fresh = notHeld(all);
        if (fresh.size() < batchSize && all.size() == limit && limit < most) {
            // Not a batch, but the index has more: once more, asking for as many more as it met.
            limit = Math.min(most, keep + 2 * (all.size() - fresh.size()));
            all = sandboxes.availableCandidates(prefix, limit);
            fresh = notHeld(all);
        }
        int handedOutSeen = Math.max(0, all.size() - fresh.size() - buffered);
        for (int retry = 0; retry < DRY_RETRIES && dry && fresh.isEmpty() && !all.isEmpty(); retry++) {
            // The shard read holds only what this process is claiming; another shard may not.
            all = sandboxes.availableCandidates(prefix, limit);
            fresh.addAll(notHeld(all));
        }
        if (fresh.isEmpty() && dry) {
            // Nothing but candidates this process is still claiming: a lost race costs less than
            // telling a learner the pool is empty.
            fresh.addAll(all);
        }
        if (byPrefix.size() >= MAX_PREFIXES && !byPrefix.containsKey(prefix)) {
            // Prefixes come from a header; a bounded map keeps hostile variety from growing memory.
            byPrefix.clear();
        }
        Queue queue = byPrefix.computeIfAbsent(prefix, p -> new Queue());
        queue.fast = fast;
        queue.lastRefill = now;
        queue.handedOutSeen = handedOutSeen;
        // A small pool (or prefix) is read only when the buffer runs dry, not at every allocation.
        queue.readAhead = fresh.size() >= batchSize;
        if (fresh.isEmpty()) {
            return Optional.empty();
        }
        // The first of what was read: the repository starts its reads at random points and mixes
        // what it read from an end, so another process rarely holds the same; a random part of
        // a longer read would spread this process's batch, and the overlap, over more sandboxes.
        List<Candidate> batch = fresh.subList(0, Math.min(keep, fresh.size()));
        batch.forEach(candidate -> held.put(candidate.id(), now));
        Optional<Candidate> mine = dry ? Optional.of(batch.remove(batch.size() - 1)) : Optional.empty();
        batch.forEach(candidate -> queue.entries.offer(new Entry(candidate, now)));
        return mine;
    }

    private List<Candidate> notHeld(List<Candidate> read) {
        return new ArrayList<>(
                read.stream().filter(c -> !held.containsKey(c.id())).toList());
    }

    private void forgetOlderThan(Instant cutoff) {
        if (held.size() > MAX_RECENT) {
            held.clear();
            return;
        }
        held.values().removeIf(at -> at.isBefore(cutoff));
    }
}
