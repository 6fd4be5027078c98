package io.sandboxbroker.broker.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Port: the broker's memory of every sandbox it ever handed out. A sandbox is a provider tenant a
 * learner configured, so once allocated it must never return to the pool, whatever happens to its
 * working record (bulk-delete, TTL expiry). The memory has no TTL and nothing deletes it.
 */
public interface RetiredTenants {

    /** Remembers the sandbox for good. Idempotent: a repeat or an SDK retry changes nothing. */
    void remember(Sandbox sandbox, Instant at);

    /** Strongly consistent: whether the id is remembered. */
    boolean isRetired(SandboxId id);

    /** Every remembered id (all pages). */
    Set<SandboxId> all();

    /** Stores what the latest sync found: retired ids the provider still lists. */
    void recordStillListed(StillListed found);

    Optional<StillListed> stillListed();

    /**
     * Retired sandboxes the provider still lists although the broker is done with them (record
     * gone, deleted or deletion_failed): tenants an operator must chase in the provider.
     * {@code sample} holds at most {@link #SAMPLE} ids.
     */
    record StillListed(long count, List<SandboxId> sample, Instant checkedAt) {
        public static final int SAMPLE = 20;

        public StillListed {
            sample = List.copyOf(sample.subList(0, Math.min(SAMPLE, sample.size())));
        }
    }
}
