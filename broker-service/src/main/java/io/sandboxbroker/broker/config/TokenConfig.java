package io.sandboxbroker.broker.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * One bearer token and the name logs know it by. Several per role may be valid at once, for
 * rotation. A blank token is an unused slot (e.g. an unset {@code BROKER_API_TOKEN_NEXT}).
 *
 * <p>A lab token may be scoped: {@code pools} are the name prefixes it may allocate from (and
 * whose sandboxes it may read and release), {@code tracks} the {@code X-Instruqt-Track-ID} values
 * it may be used for. Left out, the token is not limited.
 */
public record TokenConfig(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String name,
        String token,
        @Size(max = 100) List<@NotBlank @Pattern(regexp = "[\\x21-\\x7e]{1,128}") String> pools,
        @Size(max = 100) List<@NotBlank @Pattern(regexp = "[\\x21-\\x7e]{1,128}") String> tracks) {

    public TokenConfig {
        pools = pools == null ? List.of() : List.copyOf(pools);
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
    }

    /** An unscoped token. */
    public TokenConfig(String name, String token) {
        this(name, token, List.of(), List.of());
    }

    public boolean isSet() {
        return token != null && !token.isBlank();
    }

    public boolean isScoped() {
        return !pools.isEmpty() || !tracks.isEmpty();
    }

    /** Never print the token, even by accident. */
    @Override
    public String toString() {
        return "TokenConfig[name=" + name + ", pools=" + pools + ", tracks=" + tracks + "]";
    }
}
