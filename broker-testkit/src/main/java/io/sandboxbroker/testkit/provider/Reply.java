package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** What the fake provider answers: a status and an optional JSON body (204 has none). */
record Reply(int status, Optional<JsonNode> body) {

    static Reply json(int status, JsonNode body) {
        return new Reply(status, Optional.of(body));
    }

    static Reply noContent() {
        return new Reply(204, Optional.empty());
    }

    /** Errors share one shape, {@code {"error": "..."}}, also used for the HTML-in-JSON variant. */
    static Reply error(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", message);
        return json(status, body);
    }
}
