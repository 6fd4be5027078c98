package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.string;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.ClaimStore;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.SandboxId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Learner claims ({@code LEARNER#<id>}) and custom idempotency-key bindings
 * ({@code IDEMPOTENCY#<key>}) on the pool table's base key: every decision is a conditional
 * write or a strongly consistent read, never an index read.
 */
public final class DynamoClaimStore implements ClaimStore {
    private static final String CLAIM_PREFIX = "LEARNER#";
    private static final String CLAIM_SORT = "CLAIM";
    private static final String KEY_PREFIX = "IDEMPOTENCY#";
    private static final String KEY_SORT = "KEY";

    private static final String LEARNER_ID = "learner_id";
    private static final String SANDBOX_ID = "sandbox_id";
    private static final String IDEMPOTENCY_KEY = "idempotency_key";
    private static final String CREATED_AT = "created_at";
    private static final String TTL = "ttl";

    /** One claim per learner, ever. */
    private static final String CREATE_CONDITION = "attribute_not_exists(pk)";
    /** Move the claim only from the candidate the caller saw. */
    private static final String REPOINT_CONDITION = "sandbox_id = :from";
    /** A key is free, or already this learner's. */
    private static final String BIND_CONDITION = "attribute_not_exists(pk) OR learner_id = :learner";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    /**
     * @param retention how long claims and bindings are kept (DynamoDB TTL); longer than any
     *                  allocation, or a late retry could be handed a second sandbox
     */
    public DynamoClaimStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public boolean create(LearnerClaim claim) {
        Map<String, AttributeValue> item = Map.of(
                PoolTable.PK, s(CLAIM_PREFIX + claim.learner().value()),
                PoolTable.SK, s(CLAIM_SORT),
                LEARNER_ID, s(claim.learner().value()),
                SANDBOX_ID, s(claim.sandboxId().value()),
                IDEMPOTENCY_KEY, s(claim.idempotencyKey()),
                CREATED_AT, time(claim.createdAt()),
                TTL, time(claim.createdAt().plus(retention)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(CREATE_CONDITION));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public Optional<LearnerClaim> find(LearnerId learner) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(claimKey(learner))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LearnerClaim(learner, new SandboxId(string(item, SANDBOX_ID)),
                string(item, IDEMPOTENCY_KEY), Attributes.instant(item, CREATED_AT)));
    }

    @Override
    public boolean repoint(LearnerId learner, SandboxId from, SandboxId to) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(claimKey(learner))
                    .updateExpression("SET sandbox_id = :to")
                    .conditionExpression(REPOINT_CONDITION)
                    .expressionAttributeValues(Map.of(":from", s(from.value()), ":to", s(to.value()))));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public boolean bindKey(String idempotencyKey, LearnerId learner, Instant now) {
        Map<String, AttributeValue> item = Map.of(
                PoolTable.PK, s(KEY_PREFIX + idempotencyKey),
                PoolTable.SK, s(KEY_SORT),
                LEARNER_ID, s(learner.value()),
                CREATED_AT, time(now),
                TTL, time(now.plus(retention)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(BIND_CONDITION)
                    .expressionAttributeValues(Map.of(":learner", s(learner.value()))));
            return true;
        } catch (ConditionalCheckFailedException boundElsewhere) {
            return false;
        }
    }

    private static Map<String, AttributeValue> claimKey(LearnerId learner) {
        return Map.of(PoolTable.PK, s(CLAIM_PREFIX + learner.value()), PoolTable.SK, s(CLAIM_SORT));
    }
}
