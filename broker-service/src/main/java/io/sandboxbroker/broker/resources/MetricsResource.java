package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.metrics.PrometheusText;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Prometheus text on the application port; no token, never rate limited. Pool gauges are cached, never a scan. */
@Path("/metrics")
public final class MetricsResource {
    private final PrometheusText prometheus;

    @Inject
    public MetricsResource(PrometheusText prometheus) {
        this.prometheus = prometheus;
    }

    /** 200 with the text exposition format 0.0.4. */
    @GET
    @Produces(PrometheusText.CONTENT_TYPE)
    public StreamingOutput scrape() {
        return out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            prometheus.write(writer);
            writer.flush();
        };
    }
}
