package io.sandboxbroker.broker.api;

/** Body of {@code GET /}: {@code {"service", "version", "docs"}} (docs: the path of the API viewer). */
public record ServiceInfoView(String service, String version, String docs) {
}
