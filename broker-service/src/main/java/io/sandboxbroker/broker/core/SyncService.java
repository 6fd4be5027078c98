package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 */
public final class SyncService {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    /** What one sync changed. */
    public record Result(int listed, int added, int markedStale, int revived) implements JobResult {
        @Override
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("listed", (long) listed);
            counts.put("added", (long) added);
            counts.put("marked_stale", (long) markedStale);
            counts.put("revived", (long) revived);
            return counts;
        }
    }

    private final SandboxProvider provider;
    private final SandboxRepository sandboxes;
    private final Clock clock;

    @Inject
    public SyncService(SandboxProvider provider, SandboxRepository sandboxes, Clock clock) {
        this.provider = provider;
        this.sandboxes = sandboxes;
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
        Set<SandboxId> known = new HashSet<>();
        List<SandboxId> vanished = new ArrayList<>();
        List<SandboxId> reappeared = new ArrayList<>();
        for (SandboxStatus status : SandboxStatus.values()) {
            sandboxes.forEach(status, s -> {
                known.add(s.id());
                if (status == SandboxStatus.AVAILABLE && !listedIds.contains(s.id())) {
                    vanished.add(s.id());
                } else if (status == SandboxStatus.STALE && listedIds.contains(s.id())) {
                    reappeared.add(s.id());
                }
            });
        }
        // Only ids the table seems not to have are put; the put is conditional anyway, since the
        // index may lag a sandbox added a moment ago. Known ids cost no write at all.
        int added = 0;
        for (ProviderSandbox sandbox : listed) {
            if (!known.contains(sandbox.id()) && sandboxes.addIfAbsent(sandbox, now)) {
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
            if (sandboxes.revive(id, now).isPresent()) {
                revived++;
            }
        }
        Result result = new Result(listed.size(), added, markedStale, revived);
        LOG.debug("action=sync outcome=completed {}", result.logPairs());
        return result;
    }
}
