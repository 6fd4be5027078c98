package io.sandboxbroker.broker.db;

import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a sandbox listing resumes: the status being read and DynamoDB's last evaluated key.
 * Clients see it as an opaque base64url string; anything that does not decode to exactly this
 * shape is a validation error, never a DynamoDB error.
 */
record PageCursor(SandboxStatus status, Map<String, AttributeValue> lastKey) {
    private static final Set<String> KEY_ATTRIBUTES =
            Set.of(PoolTable.PK, PoolTable.SK, SandboxItem.STATUS, SandboxItem.NAME);
    private static final int MAX_ENCODED = 4096;
    private static final char FIELD = '\u001f';

    static PageCursor first(SandboxStatus status) {
        return new PageCursor(status, null);
    }

    /** {@code status}, then for each key attribute in name order: name, value; separated by US. */
    String encode() {
        StringBuilder plain = new StringBuilder(status.wire());
        if (lastKey != null) {
            new TreeMap<>(lastKey)
                    .forEach((name, value) ->
                            plain.append(FIELD).append(name).append(FIELD).append(value.s()));
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(plain.toString().getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor decode(String encoded) {
        if (encoded.length() > MAX_ENCODED) {
            throw invalid();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw invalid();
        }
        String[] parts = plain.split(String.valueOf(FIELD), -1);
        SandboxStatus status = SandboxStatus.parse(parts[0]).orElseThrow(PageCursor::invalid);
        if (parts.length == 1) {
            return first(status);
        }
        if (parts.length != 1 + 2 * KEY_ATTRIBUTES.size()) {
            throw invalid();
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i += 2) {
            if (!KEY_ATTRIBUTES.contains(parts[i]) || parts[i + 1].isEmpty()) {
                throw invalid();
            }
            key.put(parts[i], AttributeValue.fromS(parts[i + 1]));
        }
        if (key.size() != KEY_ATTRIBUTES.size()
                || !status.wire().equals(key.get(SandboxItem.STATUS).s())) {
            throw invalid();
        }
        return new PageCursor(status, key);
    }

    static BrokerException invalid() {
        return new BrokerException(BrokerException.Reason.VALIDATION_ERROR, "cursor is not valid");
    }
}
