package io.sandboxbroker.testkit.provider;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which requests a fault applies to: an HTTP method (empty = any) and a path prefix ("" = any),
 * e.g. {@code RequestMatch.of("DELETE", "/v2/sandbox/accounts/")}.
 */
public record RequestMatch(Optional<String> method, String pathPrefix) {
    public RequestMatch {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        method = method.map(m -> m.toUpperCase(Locale.ROOT));
    }

    public static RequestMatch of(String method, String pathPrefix) {
        return new RequestMatch(Optional.of(method), pathPrefix);
    }

    public static RequestMatch anyMethod(String pathPrefix) {
        return new RequestMatch(Optional.empty(), pathPrefix);
    }

    public static RequestMatch any() {
        return anyMethod("");
    }

    /** CSP sandbox deletes, the calls that are slow and flaky in production. */
    public static RequestMatch sandboxDeletes() {
        return of("DELETE", ProviderPaths.SANDBOX_ACCOUNTS);
    }

    public boolean matches(String requestMethod, String path) {
        return method.map(m -> m.equals(requestMethod)).orElse(true) && path.startsWith(pathPrefix);
    }
}
