package io.sandboxbroker.broker.resources;

import java.util.function.BiConsumer;

/**
 * The headers every response carries (docs/architecture.md#edge), whichever layer answers: the servlet filter for
 * everything that reaches the application, the Jetty error handler for what never does.
 */
public final class SecurityHeaders {
    /** An API answers JSON: nothing may load, frame or submit anything. */
    static final String STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** The docs viewer and the admin page load their own scripts and styles, and fetch from this origin only. */
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static final String HSTS = "max-age=31536000; includeSubDomains";

    private SecurityHeaders() {}

    /** Puts the headers for a response to {@code path} through {@code put} (name, value). */
    public static void apply(String path, BiConsumer<String, String> put) {
        put.accept("X-Content-Type-Options", "nosniff");
        put.accept("X-Frame-Options", "DENY");
        put.accept("Strict-Transport-Security", HSTS);
        put.accept("Referrer-Policy", "no-referrer");
        put.accept("Content-Security-Policy", isPage(path) ? PAGE_CSP : STRICT_CSP);
    }

    static boolean isPage(String path) {
        return path != null
                && (path.equals("/v1/docs")
                        || path.startsWith("/v1/docs/")
                        || path.equals("/admin")
                        || path.startsWith("/admin/"));
    }
}
