package io.sandboxbroker.broker.db;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small conversions between Java values and DynamoDB attribute values. Times are epoch seconds. */
final class Attributes {
    private Attributes() {}

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue time(Instant instant) {
        return n(instant.getEpochSecond());
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static long number(Map<String, AttributeValue> item, String name, long fallback) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? fallback : Long.parseLong(value.n());
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }
}
