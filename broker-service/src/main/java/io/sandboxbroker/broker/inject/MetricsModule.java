package io.sandboxbroker.broker.inject;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.prometheus.client.CollectorRegistry;
import io.sandboxbroker.broker.core.AllocationMetrics;
import io.sandboxbroker.broker.core.JobMetrics;
import io.sandboxbroker.broker.core.StorageCalls;
import io.sandboxbroker.broker.db.DynamoAttemptMetrics;
import io.sandboxbroker.broker.db.DynamoCallCounter;
import io.sandboxbroker.broker.metrics.DropwizardAllocationMetrics;
import io.sandboxbroker.broker.metrics.PrometheusJobMetrics;
import io.sandboxbroker.broker.metrics.PrometheusText;

/** The core's observation ports on Dropwizard's metric registry; the storage client counts its calls here. */
final class MetricsModule extends AbstractModule {
    private final MetricRegistry metrics;

    MetricsModule(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void configure() {
        bind(MetricRegistry.class).toInstance(metrics);
        bind(StorageCalls.class).to(DynamoCallCounter.class);
        bind(AllocationMetrics.class).to(DropwizardAllocationMetrics.class);
    }

    @Provides
    @Singleton
    DynamoCallCounter callCounter() {
        return new DynamoCallCounter(metrics);
    }

    @Provides
    @Singleton
    DynamoAttemptMetrics attemptMetrics() {
        return new DynamoAttemptMetrics(metrics);
    }

    /** One per process (not Prometheus' static default), so that two applications in one JVM (tests) keep apart. */
    @Provides
    @Singleton
    CollectorRegistry collectors() {
        return PrometheusText.collectorsOf(metrics);
    }

    @Provides
    @Singleton
    JobMetrics jobMetrics(CollectorRegistry collectors) {
        return new PrometheusJobMetrics(collectors);
    }

    @Provides
    @Singleton
    DropwizardAllocationMetrics allocationMetrics(CollectorRegistry collectors) {
        return new DropwizardAllocationMetrics(metrics, collectors);
    }
}
