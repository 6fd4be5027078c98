package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Browser origins that may call the API.
 *
 * @param allowedOrigins comma-separated exact origins such as {@code https://labs.example.com}
 *                       (env {@code CORS_ALLOWED_ORIGINS}); empty, the default, allows none
 * @param maxAge         how long a browser may cache a preflight answer
 */
public record CorsConfig(String allowedOrigins, @NotNull Duration maxAge) {
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    public CorsConfig {
        allowedOrigins = allowedOrigins == null ? "" : allowedOrigins;
        maxAge = maxAge == null ? Duration.minutes(10) : maxAge;
    }

    public static CorsConfig none() {
        return new CorsConfig(null, null);
    }

    @JsonIgnore
    public Set<String> origins() {
        return Set.copyOf(new LinkedHashSet<>(Csv.split(allowedOrigins)));
    }

    /** A wildcard or a path would widen or silently break the allow-list, so both are refused. */
    @JsonIgnore
    @AssertTrue(
            message = "allowedOrigins must be comma-separated origins like https://labs.example.com (no '*', no path)")
    public boolean isAllowedOriginsValid() {
        return origins().stream().allMatch(origin -> ORIGIN.matcher(origin).matches());
    }
}
