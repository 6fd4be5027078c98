package io.sandboxbroker.broker.jobs;

import io.dropwizard.lifecycle.Managed;
import io.sandboxbroker.broker.core.SyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync as the API process starts ({@code syncOnStart}: only useful without a jobs process). A
 * failed sync is logged and start-up goes on: the pool is filled by the next sync instead.
 */
public final class SyncOnStart implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SyncOnStart.class);

    private final SyncService sync;

    public SyncOnStart(SyncService sync) {
        this.sync = sync;
    }

    @Override
    public void start() {
        try {
            sync.sync();
        } catch (RuntimeException e) {
            LOG.warn("action=sync outcome=failed error={}", e.getMessage());
        }
    }
}
