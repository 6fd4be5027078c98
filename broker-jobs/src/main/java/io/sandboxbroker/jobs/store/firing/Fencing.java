package io.sandboxbroker.jobs.store.firing;

import io.sandboxbroker.jobs.store.firing.Holdings.Holding;
import io.sandboxbroker.jobs.store.table.Keys;
import io.sandboxbroker.jobs.store.table.NodeItems.NodeRecord;
import io.sandboxbroker.jobs.store.table.QuartzItems;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;

/**
 * Whether a running firing still holds what it runs under: this node was not recovered by another meanwhile (its
 * holdings given away), the non-concurrency lock of its job is still this firing's, and the fired record of a
 * recovery-requesting job is still there (else another node re-runs it). Consistent reads only.
 */
public final class Fencing {
    /** What {@code generation} answers before the node checked in for the first time: nothing is held yet. */
    public static final long NOT_STARTED = -1;

    private final Holdings holdings;
    private final QuartzItems items;
    private final LongSupplier generation;
    private final String instanceId;

    /** {@code generation}: the node's current generation (see {@link Holdings}), or {@link #NOT_STARTED}. */
    public Fencing(Holdings holdings, QuartzItems items, LongSupplier generation, String instanceId) {
        this.holdings = holdings;
        this.items = items;
        this.generation = generation;
        this.instanceId = instanceId;
    }

    public boolean stillHolds(String fireInstanceId, JobDetail job) {
        Optional<Holding> holding = holdings.get(fireInstanceId);
        long current = generation.getAsLong();
        if (holding.isEmpty() || current == NOT_STARTED || holding.get().generation() != current) {
            return false;
        }
        Optional<NodeRecord> self = items.nodes().get(instanceId);
        if (self.isEmpty() || self.get().recoverer() != null) {
            return false;
        }
        try {
            if (job.isConcurrentExecutionDisallowed()
                    && !items.jobs()
                            .get(job.getKey())
                            .map(j -> fireInstanceId.equals(j.runningFireId()))
                            .orElse(false)) {
                return false;
            }
        } catch (JobPersistenceException e) {
            return false;
        }
        return !job.requestsRecovery()
                || items.table().get(Keys.fired(fireInstanceId)).isPresent();
    }
}
