package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims allocations past {@code expires_at} + grace (docs/architecture.md#sandbox-lifecycle): allocated → pending_deletion,
 * conditional on the same allocation (status, holder, version). {@code expires_at} was written at
 * allocation and is the one value clients were told; the grace is the only thing added here.
 */
public final class ExpiryService {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryService.class);

    /** What one run did. */
    public record Result(int expired, int skippedChanged) implements JobResult {
        @Override
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("expired", (long) expired);
            counts.put("skipped_changed", (long) skippedChanged);
            return counts;
        }
    }

    private final SandboxRepository sandboxes;
    private final AllocationPolicy policy;
    private final Clock clock;
    private final UsageRecorder usage;

    @Inject
    public ExpiryService(SandboxRepository sandboxes, AllocationPolicy policy, Clock clock, UsageRecorder usage) {
        this.sandboxes = sandboxes;
        this.policy = policy;
        this.clock = clock;
        this.usage = usage;
    }

    public Result run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<Sandbox> overdue = new ArrayList<>();
        sandboxes.forEach(SandboxStatus.ALLOCATED, sandbox -> {
            if (isOverdue(sandbox, now)) {
                overdue.add(sandbox);
            }
        });
        int expired = 0;
        int skipped = 0;
        for (Sandbox listed : overdue) {
            Optional<Sandbox> written = sandboxes.expire(listed, now);
            if (written.isEmpty()) {
                // The index copy may lag the item: decide again on a strongly consistent read.
                written = sandboxes
                        .find(listed.id())
                        .filter(fresh -> fresh.status() == SandboxStatus.ALLOCATED && isOverdue(fresh, now))
                        .flatMap(fresh -> sandboxes.expire(fresh, now));
            }
            if (written.isPresent()) {
                expired++;
                usage.released(listed, now);
                LOG.info(
                        "action=auto_expiry sandbox_id={} learner={} expires_at={} outcome=pending_deletion",
                        listed.id(),
                        listed.learner(),
                        listed.expiresAt());
            } else {
                skipped++;
            }
        }
        Result result = new Result(expired, skipped);
        LOG.debug("action=auto_expiry outcome=completed {}", result.logPairs());
        return result;
    }

    private boolean isOverdue(Sandbox sandbox, Instant now) {
        return sandbox.expiresAt() != null && now.isAfter(sandbox.expiresAt().plus(policy.gracePeriod()));
    }
}
