package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the pool in line with the provider's list of active sandboxes (docs/architecture.md#sandbox-lifecycle).
 *
 * <p>It only ever adds absent sandboxes, moves available ones to stale and stale ones back to
 * available, each a conditional write on the state it expects. An allocated, pending, failed or
 * deleted sandbox is never written, whatever the provider lists, so a sandbox that was allocated
 * can never come back to the pool. {@code last_synced} is written only with these transitions:
 * touching every listed item on every run would cost one write per sandbox for no decision.
 *
 * <p>Nor can it come back once its record is gone: sync never adds or revives a retired tenant.
 * It reads the retired ids after the records, so a record that vanished before that read had its
 * memory written before it vanished; the repository checks the memory once more before anything
 * becomes available. Sync also remembers every used sandbox it sees that is not remembered yet
 * (records from before the memory existed, or a write lost to a crash), which costs one write per
 * allocation, here and not on the allocation path.
 */
public final class SyncService {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    /** States of a sandbox that was handed out: remembered for good. */
    private static final Set<SandboxStatus> USED = EnumSet.of(
            SandboxStatus.ALLOCATED,
            SandboxStatus.PENDING_DELETION,
            SandboxStatus.DELETED,
            SandboxStatus.DELETION_FAILED);
    /** States in which the broker is done with a sandbox: the provider should no longer list it. */
    private static final Set<SandboxStatus> DONE = EnumSet.of(SandboxStatus.DELETED, SandboxStatus.DELETION_FAILED);

    /** What one sync changed, and how many retired tenants the provider still lists. */
    public record Result(int listed, int added, int markedStale, int revived, int remembered, int retiredStillListed)
            implements JobResult {

        public Result(int listed, int added, int markedStale, int revived) {
            this(listed, added, markedStale, revived, 0, 0);
        }

        @Override
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("listed", (long) listed);
            counts.put("added", (long) added);
            counts.put("marked_stale", (long) markedStale);
            counts.put("revived", (long) revived);
            counts.put("remembered", (long) remembered);
            counts.put("retired_still_listed", (long) retiredStillListed);
            return counts;
        }
    }

    private final SandboxProvider provider;
    private final SandboxRepository sandboxes;
    private final RetiredTenants retired;
    private final Clock clock;

    @Inject
    public SyncService(SandboxProvider provider, SandboxRepository sandboxes, RetiredTenants retired, Clock clock) {
        this.provider = provider;
        this.sandboxes = sandboxes;
        this.retired = retired;
        this.clock = clock;
    }

    /**
     * One sync. The provider's listing is complete or the call throws (a partial listing would
     * mark live sandboxes stale), so nothing is changed when the provider cannot be read.
     */
    public Result sync() {
        List<ProviderSandbox> listed = provider.activeSandboxes();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Set<SandboxId> listedIds = new HashSet<>();
        listed.forEach(sandbox -> listedIds.add(sandbox.id()));
        // Read before writing, so the index pages do not shift under the writes that follow.
        Map<SandboxId, SandboxStatus> known = new HashMap<>();
        List<Sandbox> used = new ArrayList<>();
        List<SandboxId> vanished = new ArrayList<>();
        List<SandboxId> reappeared = new ArrayList<>();
        for (SandboxStatus status : SandboxStatus.values()) {
            sandboxes.forEach(status, s -> {
                known.put(s.id(), status);
                // A quarantined sandbox with a learner was used: it is remembered like the others.
                if (USED.contains(status) || (status == SandboxStatus.QUARANTINED && s.learner() != null)) {
                    used.add(s);
                }
                if (status == SandboxStatus.AVAILABLE && !listedIds.contains(s.id())) {
                    vanished.add(s.id());
                } else if (status == SandboxStatus.STALE && listedIds.contains(s.id())) {
                    reappeared.add(s.id());
                }
            });
        }
        Set<SandboxId> retiredIds = retired.all();
        int remembered = 0;
        for (Sandbox sandbox : used) {
            if (retiredIds.add(sandbox.id())) {
                retired.remember(sandbox, now);
                remembered++;
            }
        }
        // Only ids the table seems not to have are put; the put is conditional anyway, since the
        // index may lag a sandbox added a moment ago. Known ids cost no write at all.
        int added = 0;
        List<SandboxId> stillListed = new ArrayList<>();
        for (ProviderSandbox sandbox : listed) {
            SandboxStatus status = known.get(sandbox.id());
            if (retiredIds.contains(sandbox.id())) {
                if (status == null || DONE.contains(status)) {
                    stillListed.add(sandbox.id());
                }
            } else if (status == null && sandboxes.addIfAbsent(sandbox, now)) {
                added++;
            }
        }
        int markedStale = 0;
        for (SandboxId id : vanished) {
            if (sandboxes.markStale(id, now).isPresent()) {
                markedStale++;
            }
        }
        int revived = 0;
        for (SandboxId id : reappeared) {
            if (!retiredIds.contains(id) && sandboxes.revive(id, now).isPresent()) {
                revived++;
            }
        }
        retired.recordStillListed(new RetiredTenants.StillListed(stillListed.size(), stillListed, now));
        if (!stillListed.isEmpty()) {
            LOG.warn(
                    "action=sync outcome=retired_still_listed count={} sandbox_ids={}",
                    stillListed.size(),
                    stillListed.subList(0, Math.min(RetiredTenants.StillListed.SAMPLE, stillListed.size())));
        }
        Result result = new Result(listed.size(), added, markedStale, revived, remembered, stillListed.size());
        LOG.debug("action=sync outcome=completed {}", result.logPairs());
        return result;
    }
}
