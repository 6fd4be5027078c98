package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues NIOSXaaS session tokens and remembers what each one grants. Tokens look like JWTs (three
 * base64url parts, unsigned) so that clients which peek at the claims keep working, but the fake
 * trusts only its own table, never the claims.
 */
final class JwtIssuer {
    /** What a token lets its bearer do: act as {@code email}, inside {@code account} once switched. */
    record Grant(String email, Optional<String> account) {}

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER =
            BASE64URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    JwtIssuer(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    String issue(Grant grant) {
        ObjectNode claims = json.createObjectNode()
                .put("sub", grant.email())
                .put("iat", clock.instant().getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        grant.account().ifPresent(account -> claims.put("account_id", Account.ID_PREFIX + account));
        String token = HEADER + "." + BASE64URL.encodeToString(bytes(claims)) + "."
                + BASE64URL.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        grants.put(token, grant);
        return token;
    }

    Optional<Grant> grantOf(String token) {
        return Optional.ofNullable(grants.get(token));
    }

    /** Forgets every token, as if they had all expired; clients must sign in again. */
    void expireAll() {
        grants.clear();
    }

    private byte[] bytes(ObjectNode claims) {
        try {
            return json.writeValueAsBytes(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise claims", e);
        }
    }
}
