package io.sandboxbroker.jobs.store.table;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a conditional write recognises its own earlier attempt. DynamoDB's SDK retries a write whose first
 * attempt was applied but whose answer was lost; the retry then fails its condition because of the first
 * attempt. When a condition fails, the item is read back consistently and this test says whether what is
 * there is the writer's own doing (a token or version only this write wrote), in which case the write counts
 * as done.
 */
@FunctionalInterface
public interface OwnWrite {
    /** Never our doing: a failed condition is a lost race. */
    OwnWrite NONE = current -> false;
    /** A delete that finds the item gone: done, whoever's attempt it was. */
    OwnWrite GONE = Optional::isEmpty;

    boolean appliedIn(Optional<Map<String, AttributeValue>> current);

    /** The item carries {@code attribute = token}, a value only this write wrote. */
    static OwnWrite wrote(String attribute, String token) {
        Objects.requireNonNull(token, attribute);
        return current ->
                current.map(item -> token.equals(Table.str(item, attribute))).orElse(false);
    }

    /** The item no longer carries {@code attribute = token} (e.g. a lock this write released). */
    static OwnWrite cleared(String attribute, String token) {
        return current ->
                current.map(item -> !token.equals(Table.str(item, attribute))).orElse(true);
    }
}
