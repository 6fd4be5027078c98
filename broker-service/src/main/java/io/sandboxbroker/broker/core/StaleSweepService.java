package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes sandboxes that have been stale (gone from the provider's listing) for longer than the
 * grace, conditional on still being stale since the same moment: one that came back meanwhile
 * (and perhaps vanished again) is not removed.
 */
public final class StaleSweepService {
    private static final Logger LOG = LoggerFactory.getLogger(StaleSweepService.class);

    /** What one run did. */
    public record Result(int removed, int skippedChanged) implements JobResult {
        @Override
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("removed", (long) removed);
            counts.put("skipped_changed", (long) skippedChanged);
            return counts;
        }
    }

    private final SandboxRepository sandboxes;
    private final LifecyclePolicy policy;
    private final Clock clock;

    @Inject
    public StaleSweepService(SandboxRepository sandboxes, LifecyclePolicy policy, Clock clock) {
        this.sandboxes = sandboxes;
        this.policy = policy;
        this.clock = clock;
    }

    public Result run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<Sandbox> expired = new ArrayList<>();
        sandboxes.forEach(SandboxStatus.STALE, sandbox -> {
            Instant since = sandbox.staleSince() != null ? sandbox.staleSince() : sandbox.updatedAt();
            if (since != null && now.isAfter(since.plus(policy.staleGrace()))) {
                expired.add(sandbox);
            }
        });
        int removed = 0;
        for (Sandbox sandbox : expired) {
            if (sandboxes.removeStale(sandbox)) {
                removed++;
                LOG.info(
                        "action=stale_sweep sandbox_id={} stale_since={} outcome=removed",
                        sandbox.id(),
                        sandbox.staleSince());
            }
        }
        Result result = new Result(removed, expired.size() - removed);
        LOG.debug("action=stale_sweep outcome=completed {}", result.logPairs());
        return result;
    }
}
