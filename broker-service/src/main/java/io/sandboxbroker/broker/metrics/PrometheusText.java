package io.sandboxbroker.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;

/**
 * Prometheus text 0.0.4 of the process's collectors: the whole Dropwizard registry (broker_*,
 * jvm_*, Jetty's and Jersey's own) and the native Prometheus histograms and counters.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = TextFormat.CONTENT_TYPE_004;

    private final CollectorRegistry collectors;
    private final PoolGauges pool;

    @Inject
    public PrometheusText(CollectorRegistry collectors, PoolGauges pool) {
        this.collectors = collectors;
        this.pool = pool;
    }

    /** The process's collectors: the Dropwizard registry's metrics, rendered with their labels, and native ones. */
    public static CollectorRegistry collectorsOf(MetricRegistry registry) {
        CollectorRegistry collectors = new CollectorRegistry();
        collectors.register(new DropwizardExports(registry, new LabelledSampleBuilder()));
        return collectors;
    }

    public void write(Writer out) throws IOException {
        pool.refresh();
        TextFormat.write004(out, collectors.metricFamilySamples());
    }
}
