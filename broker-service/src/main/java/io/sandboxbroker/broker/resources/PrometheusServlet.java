package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.metrics.PrometheusText;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Prometheus text on the admin port ({@code /prometheus}), beside Dropwizard's own JSON
 * {@code /metrics}: the jobs process has no application port, so this is how it is scraped.
 */
public final class PrometheusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PrometheusText prometheus;

    @Inject
    public PrometheusServlet(PrometheusText prometheus) {
        this.prometheus = prometheus;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        prometheus.write(response.getWriter());
    }
}
