package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A request as read off the wire, body included, so that routing and faults can look at it first. */
record ProviderRequest(
        String method, String path, Map<String, String> query, Optional<String> authorization, byte[] body) {

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    /** The path after {@code prefix}, when it is one non-empty segment (a uuid, say). */
    Optional<String> segmentAfter(String prefix) {
        if (!path.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? Optional.empty() : Optional.of(rest);
    }

    /** The token after {@code scheme} in the Authorization header, e.g. "Bearer". */
    Optional<String> credentials(String scheme) {
        String prefix = scheme + " ";
        return authorization
                .filter(value -> value.regionMatches(true, 0, prefix, 0, prefix.length()))
                .map(value -> value.substring(prefix.length()).trim());
    }

    /** The body as a JSON object; empty when it is missing or not a JSON object. */
    Optional<JsonNode> jsonObject(ObjectMapper json) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException malformed) {
            return Optional.empty();
        }
    }
}
