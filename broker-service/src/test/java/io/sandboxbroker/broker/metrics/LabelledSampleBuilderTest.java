package io.sandboxbroker.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LabelledSampleBuilderTest {

    private static String text(MetricRegistry registry) throws Exception {
        CollectorRegistry collectors = new CollectorRegistry();
        collectors.register(new DropwizardExports(registry, new LabelledSampleBuilder()));
        StringWriter out = new StringWriter();
        TextFormat.write004(out, collectors.metricFamilySamples());
        return out.toString();
    }

    @Test
    void labelledNames_becomeOneFamilyWithLabels() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        registry.counter(MetricNames.labelled("broker_allocations", "outcome", "created"))
                .inc(3);
        registry.counter(MetricNames.labelled("broker_allocations", "outcome", "replayed"))
                .inc();
        registry.timer(MetricNames.labelled(
                        "broker_http_request_duration_seconds",
                        "method",
                        "GET",
                        "route",
                        "/v1/sandboxes/{id}",
                        "status",
                        "200"))
                .update(5, TimeUnit.MILLISECONDS);
        registry.counter("jvm.memory.heap.used").inc();

        String text = text(registry);

        assertThat(text)
                .contains("broker_allocations{outcome=\"created\",} 3.0")
                .contains("broker_allocations{outcome=\"replayed\",} 1.0")
                .contains(
                        "broker_http_request_duration_seconds{method=\"GET\",route=\"/v1/sandboxes/{id}\",status=\"200\",quantile=\"0.99\",} 0.005")
                .contains(
                        "broker_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/sandboxes/{id}\",status=\"200\",} 1.0")
                .contains("jvm_memory_heap_used 1.0");
        assertThat(text.lines().filter(l -> l.startsWith("# TYPE broker_allocations ")))
                .hasSize(1);
    }

    @Test
    void labelValues_cannotBreakTheFormat() {
        assertThat(MetricNames.labelled("x", "group", "a,b=c\"d\\e\nf")).isEqualTo("x{group=a_b_c_d_e_f}");
        assertThat(MetricNames.value("g".repeat(500))).hasSize(128);
    }
}
