package io.sandboxbroker.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;

/** The whole Dropwizard registry (broker_*, jvm_*, Jetty's and Jersey's own) as Prometheus text 0.0.4. */
public final class PrometheusText {
    public static final String CONTENT_TYPE = TextFormat.CONTENT_TYPE_004;

    private final CollectorRegistry collectors = new CollectorRegistry();
    private final PoolGauges pool;

    @Inject
    public PrometheusText(MetricRegistry registry, PoolGauges pool) {
        this.pool = pool;
        collectors.register(new DropwizardExports(registry, new LabelledSampleBuilder()));
    }

    public void write(Writer out) throws IOException {
        pool.refresh();
        TextFormat.write004(out, collectors.metricFamilySamples());
    }
}
