package io.sandboxbroker.broker.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * One bearer token and the name logs know it by. Several per role may be valid at once, for
 * rotation. A blank token is an unused slot (e.g. an unset {@code BROKER_API_TOKEN_NEXT}).
 */
public record TokenConfig(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String name,
        String token) {

    public boolean isSet() {
        return token != null && !token.isBlank();
    }

    /** Never print the token, even by accident. */
    @Override
    public String toString() {
        return "TokenConfig[name=" + name + "]";
    }
}
