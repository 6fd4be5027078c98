package io.sandboxbroker.jobs.store.firing;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.quartz.TriggerKey;

/**
 * Shares due triggers out among the nodes the table lists, by rendezvous hashing: each trigger prefers the node
 * whose id scores highest with its key. A node claims the triggers it is preferred for first, in one order, and the
 * others' only after its own, in the reverse of that order, so two nodes draining the same candidates meet only when
 * one has run out of its own. An order only: every claim is still a write conditional on the version seen, and a
 * node list that is stale (a node just started, or died) costs lost claims, never a double or a missed firing.
 */
final class NodeShares {
    /** How long a read of the node list is used; a lost claim (a node not yet seen, perhaps) re-reads it sooner. */
    private static final long FRESH_NANOS = 1_000_000_000L;

    private static final long AFTER_LOST_CLAIM_NANOS = 100_000_000L;

    private final Supplier<List<String>> listedNodes;
    private final LongSupplier nanoTime;
    private final long self;
    private volatile long[] others = new long[0];
    private volatile long readAtNanos;
    private volatile boolean read;
    private volatile boolean claimLost;

    NodeShares(Supplier<List<String>> listedNodes, String instanceId, LongSupplier nanoTime) {
        this.listedNodes = listedNodes;
        this.nanoTime = nanoTime;
        this.self = nodeHash(instanceId);
    }

    /** Reads the node list again if it is old, or a claim was lost since it was read; call when there is work. */
    void refreshIfStale() {
        long age = nanoTime.getAsLong() - readAtNanos;
        if (read && age < FRESH_NANOS && !(claimLost && age >= AFTER_LOST_CLAIM_NANOS)) {
            return;
        }
        others = listedNodes.get().stream()
                .mapToLong(NodeShares::nodeHash)
                .filter(node -> node != self)
                .distinct()
                .toArray();
        readAtNanos = nanoTime.getAsLong();
        read = true;
        claimLost = false;
    }

    /** How many nodes share the work, this one included, as last read. */
    int nodes() {
        return others.length + 1;
    }

    void claimLost() {
        claimLost = true;
    }

    /** Whether this node is the one {@code key} prefers among the nodes last read (always, when alone). */
    boolean mine(TriggerKey key) {
        long keyHash = mix(key.hashCode());
        long own = mix(self ^ keyHash);
        for (long node : others) {
            long score = mix(node ^ keyHash);
            if (score > own || (score == own && node > self)) {
                return false;
            }
        }
        return true;
    }

    /** A position of {@code key} that every node computes alike: own triggers go up it, others' down it. */
    static long rank(TriggerKey key) {
        return mix(key.hashCode() * 0x9E3779B97F4A7C15L);
    }

    private static long nodeHash(String instanceId) {
        return mix(instanceId.hashCode() + 0x632BE59BD9B4E019L);
    }

    /** SplitMix64's finalizer: spreads close inputs (keys t-1, t-2, ...) over the whole range. */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
