package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The admin listing's cursor: opaque, round-tripping, and anything else is a validation error. */
class PageCursorTest {
    private static Map<String, AttributeValue> lastKey(String status) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(PoolTable.PK, AttributeValue.fromS("SANDBOX#2000031"));
        key.put(PoolTable.SK, AttributeValue.fromS("SANDBOX"));
        key.put(SandboxItem.STATUS, AttributeValue.fromS(status));
        key.put(SandboxItem.NAME, AttributeValue.fromS("lab-start-0001"));
        return key;
    }

    private static String encoded(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTrips_withAndWithoutALastKey() {
        PageCursor resume = new PageCursor(SandboxStatus.ALLOCATED, lastKey("allocated"));
        PageCursor first = PageCursor.first(SandboxStatus.STALE);

        assertThat(PageCursor.decode(resume.encode())).isEqualTo(resume);
        assertThat(PageCursor.decode(first.encode())).isEqualTo(first);
        assertThat(resume.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void theSameKeyEncodesTheSameWhateverTheMapOrder() {
        Map<String, AttributeValue> reversed = new LinkedHashMap<>();
        List<Map.Entry<String, AttributeValue>> entries =
                new ArrayList<>(lastKey("available").entrySet());
        Collections.reverse(entries);
        entries.forEach(entry -> reversed.put(entry.getKey(), entry.getValue()));

        assertThat(new PageCursor(SandboxStatus.AVAILABLE, reversed).encode())
                .isEqualTo(new PageCursor(SandboxStatus.AVAILABLE, lastKey("available")).encode());
    }

    @Test
    void anythingElseIsAValidationError() {
        String field = "\u001f";
        String wellFormed = "available" + field + "name" + field + "x" + field + "pk" + field + "p" + field + "sk"
                + field + "s" + field + "status" + field + "available";
        assertThat(PageCursor.decode(encoded(wellFormed)).status()).isEqualTo(SandboxStatus.AVAILABLE);

        for (String broken : new String[] {
            "not base64 !!",
            encoded("no-such-status"),
            encoded("available" + field + "name"),
            encoded(wellFormed.replace("pk" + field, "gsi" + field)),
            encoded(wellFormed.replace(field + "p" + field, field + field)),
            encoded(wellFormed.replace("status" + field + "available", "status" + field + "stale")),
            "A".repeat(5000)
        }) {
            assertThatThrownBy(() -> PageCursor.decode(broken))
                    .as(broken)
                    .isInstanceOfSatisfying(
                            BrokerException.class,
                            e -> assertThat(e.reason()).isEqualTo(BrokerException.Reason.VALIDATION_ERROR));
        }
    }
}
