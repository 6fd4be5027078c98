package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the pool in line with the provider's list of active sandboxes. */
public final class SyncService {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    /** What one sync changed. */
    public record Result(int listed, int added) {
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

    /** Adds every listed sandbox the table does not have yet; never touches existing items. */
    public Result sync() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        int listed = 0;
        int added = 0;
        for (ProviderSandbox sandbox : provider.activeSandboxes()) {
            listed++;
            if (sandboxes.addIfAbsent(sandbox, now)) {
                added++;
            }
        }
        LOG.info("action=sync outcome=completed listed={} added={}", listed, added);
        return new Result(listed, added);
    }
}
