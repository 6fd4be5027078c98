package io.sandboxbroker.broker.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.AllocationPolicy;
import io.sandboxbroker.broker.core.AllocationService;
import io.sandboxbroker.broker.core.CleanupPolicy;
import io.sandboxbroker.broker.core.CleanupReport;
import io.sandboxbroker.broker.core.CleanupService;
import io.sandboxbroker.broker.core.EventService;
import io.sandboxbroker.broker.core.ExpiryService;
import io.sandboxbroker.broker.core.JobRunLog;
import io.sandboxbroker.broker.core.LeasePolicy;
import io.sandboxbroker.broker.core.LeaseService;
import io.sandboxbroker.broker.core.LifecyclePolicy;
import io.sandboxbroker.broker.core.Pause;
import io.sandboxbroker.broker.core.PoolLevelService;
import io.sandboxbroker.broker.core.PoolLevels;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.PoolWatch;
import io.sandboxbroker.broker.core.QuarantineService;
import io.sandboxbroker.broker.core.ReconcileService;
import io.sandboxbroker.broker.core.StaleSweepService;
import io.sandboxbroker.broker.core.StopSignal;
import io.sandboxbroker.broker.core.SupportService;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.core.UsageRecorder;
import io.sandboxbroker.broker.core.UsageService;
import io.sandboxbroker.broker.core.Webhooks;

/** The core's services, one instance each, and the policies the configuration builds for them. */
final class DomainModule extends AbstractModule {
    private final BrokerConfiguration config;

    DomainModule(BrokerConfiguration config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(AllocationService.class).in(Singleton.class);
        bind(PoolService.class).in(Singleton.class);
        bind(LeaseService.class).in(Singleton.class);
        bind(QuarantineService.class).in(Singleton.class);
        bind(SupportService.class).in(Singleton.class);
        bind(PoolLevelService.class).in(Singleton.class);
        bind(UsageRecorder.class).in(Singleton.class);
        bind(UsageService.class).in(Singleton.class);
        bind(EventService.class).in(Singleton.class);
        bind(PoolWatch.class).in(Singleton.class);
        bind(SyncService.class).in(Singleton.class);
        bind(CleanupService.class).in(Singleton.class);
        bind(ExpiryService.class).in(Singleton.class);
        bind(StaleSweepService.class).in(Singleton.class);
        bind(ReconcileService.class).in(Singleton.class);
        bind(JobRunLog.class).in(Singleton.class);
        bind(CleanupReport.class).in(Singleton.class);
        // One signal: a stopping process wakes clean-up's pauses and tells it to hand over.
        StopSignal stopping = new StopSignal();
        bind(StopSignal.class).toInstance(stopping);
        bind(Pause.class).toInstance(stopping);
    }

    @Provides
    @Singleton
    AllocationPolicy allocationPolicy() {
        return config.allocation().policy();
    }

    @Provides
    @Singleton
    LeasePolicy leasePolicy() {
        return config.allocation().lease().policy();
    }

    @Provides
    @Singleton
    CleanupPolicy cleanupPolicy() {
        return config.cleanup().policy();
    }

    @Provides
    @Singleton
    Webhooks webhooks() {
        return config.webhooks();
    }

    @Provides
    @Singleton
    PoolLevels poolLevels() {
        return config.pools().levels();
    }

    @Provides
    @Singleton
    LifecyclePolicy lifecyclePolicy() {
        return config.lifecycle().policy();
    }
}
