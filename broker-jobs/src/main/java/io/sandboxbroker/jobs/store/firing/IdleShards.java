package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.table.Table;

/**
 * Lets an idle node skip its query of every shard of the due index. After a full query the node knows, as the index
 * showed it, that nothing waits due before some time; until then one consistent read of the wake counter tells it
 * whether anything may have become due earlier since (every write that can make a trigger due earlier bumps it,
 * except this process's own, which it notes directly; advances and misfires only move triggers later). An idle
 * wait then costs one call, however many shards and nodes there are.
 *
 * <p>Two limits keep a lagging index or a bump that failed from hiding a trigger for long: after the counter moves,
 * the node queries every shard for {@link #AFTER_WAKE_NANOS} (an index may not show the new trigger at once), and it
 * never skips for more than {@link #QUIET_AT_MOST_MILLIS}.
 */
final class IdleShards {
    /** How far ahead a full query looks, and the longest a node goes without one. */
    static final long QUIET_AT_MOST_MILLIS = 60_000;

    private static final long AFTER_WAKE_NANOS = 10_000_000_000L;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Table table;
    private long nothingDueBefore = UNKNOWN;
    private long fullQueryAtNanos;
    private long seenWake = UNKNOWN;
    private long wokenAtNanos;

    IdleShards(Table table) {
        this.table = table;
    }

    /** True when nothing can be due by {@code dueBy}: the caller need not query the shards. */
    synchronized boolean quiet(long dueBy) {
        long now = System.nanoTime();
        if (dueBy >= nothingDueBefore
                || now - fullQueryAtNanos > QUIET_AT_MOST_MILLIS * 1_000_000L
                || now - wokenAtNanos < AFTER_WAKE_NANOS) {
            return false;
        }
        long wake = table.readWake();
        if (wake != seenWake) {
            seenWake = wake;
            wokenAtNanos = now;
            return false;
        }
        return true;
    }

    /** After a query of every shard: nothing waiting is due before {@code time}, as far as the index showed. */
    synchronized void queried(long time) {
        nothingDueBefore = time;
        fullQueryAtNanos = System.nanoTime();
    }

    /** This process wrote a waiting trigger due at {@code nextFire}. */
    synchronized void waitingWritten(long nextFire) {
        nothingDueBefore = Math.min(nothingDueBefore, nextFire);
    }
}
