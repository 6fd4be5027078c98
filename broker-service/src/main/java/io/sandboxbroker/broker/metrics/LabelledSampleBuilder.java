package io.sandboxbroker.broker.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@code base{k=v,…}} metric names ({@link MetricNames}) as Prometheus labels; every
 * other name (Dropwizard's own, {@code jvm.*}) is sanitised as usual ({@code jvm.memory.heap.used}
 * becomes {@code jvm_memory_heap_used}).
 */
public final class LabelledSampleBuilder implements SampleBuilder {
    private final SampleBuilder plain = new DefaultSampleBuilder();

    @Override
    public Sample createSample(
            String dropwizardName,
            String nameSuffix,
            List<String> additionalLabelNames,
            List<String> additionalLabelValues,
            double value) {
        int open = dropwizardName.indexOf('{');
        if (open < 0 || !dropwizardName.endsWith("}")) {
            return plain.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String labels = dropwizardName.substring(open + 1, dropwizardName.length() - 1);
        for (String pair : labels.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                names.add(Collector.sanitizeMetricName(pair.substring(0, eq)));
                values.add(pair.substring(eq + 1));
            }
        }
        names.addAll(additionalLabelNames);
        values.addAll(additionalLabelValues);
        String name = Collector.sanitizeMetricName(
                dropwizardName.substring(0, open) + (nameSuffix == null ? "" : nameSuffix));
        return new Sample(name, names, values, value);
    }
}
