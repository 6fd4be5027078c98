package io.sandboxbroker.broker.api;

/** Body of {@code GET /}: {@code {"service", "version", "docs"}} (docs: the path of the API viewer). */
public record ServiceInfoView(String service, String version, String docs) {

    /** This build: the version from the jar's manifest, "dev" when run from classes. */
    public static ServiceInfoView ofThisBuild() {
        String version = ServiceInfoView.class.getPackage().getImplementationVersion();
        return new ServiceInfoView("Sandbox Broker", version != null ? version : "dev", "/v1/docs");
    }
}
