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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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

    static final String LEARNER_ID = "learner_id";
    static final String SANDBOX_ID = "sandbox_id";
    static final String IDEMPOTENCY_KEY = "idempotency_key";
    private static final String CREATED_AT = "created_at";
    private static final String TTL = "ttl";
    private static final String WRITE_TOKEN = "write_token";

    /** One claim per learner, ever. */
    private static final String CREATE_CONDITION = "attribute_not_exists(pk)";
    /**
     * Create unless present, changing nothing on an existing claim: the old image then says whose
     * claim it is (ours, when its write token is ours) and which sandbox it names.
     */
    private static final String CREATE_OR_KEEP = "SET learner_id = if_not_exists(learner_id, :learner), "
            + "sandbox_id = if_not_exists(sandbox_id, :sandbox), idempotency_key = if_not_exists(idempotency_key, :key), "
            + "created_at = if_not_exists(created_at, :created), claim_hour = if_not_exists(claim_hour, :hour), "
            + "#ttl = if_not_exists(#ttl, :ttl), write_token = if_not_exists(write_token, :token)";
    /** Move the claim only from the candidate the caller saw. */
    private static final String REPOINT_CONDITION = "sandbox_id = :from";
    /** Reconcile: remove only the claim that was judged half-done, not a re-pointed or re-created one. */
    private static final String REMOVE_CONDITION = "sandbox_id = :sandbox AND created_at = :created";
    /** The claims of one hour bucket within a time window. */
    private static final String HOUR_QUERY = "claim_hour = :hour AND created_at BETWEEN :from AND :to";

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

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
                PoolTable.PK,
                s(CLAIM_PREFIX + claim.learner().value()),
                PoolTable.SK,
                s(CLAIM_SORT),
                LEARNER_ID,
                s(claim.learner().value()),
                SANDBOX_ID,
                s(claim.sandboxId().value()),
                IDEMPOTENCY_KEY,
                s(claim.idempotencyKey()),
                CREATED_AT,
                time(claim.createdAt()),
                PoolTable.CLAIM_HOUR,
                s(hourOf(claim.createdAt())),
                TTL,
                time(claim.createdAt().plus(retention)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(CREATE_CONDITION));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public Optional<LearnerClaim> createOrGet(LearnerClaim claim, String writeToken) {
        Map<String, AttributeValue> values = Map.of(
                ":learner", s(claim.learner().value()),
                ":sandbox", s(claim.sandboxId().value()),
                ":key", s(claim.idempotencyKey()),
                ":created", time(claim.createdAt()),
                ":hour", s(hourOf(claim.createdAt())),
                ":ttl", time(claim.createdAt().plus(retention)),
                ":token", s(writeToken));
        Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(table)
                        .key(claimKey(claim.learner()))
                        .updateExpression(CREATE_OR_KEEP)
                        .expressionAttributeNames(Map.of("#ttl", TTL))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_OLD))
                .attributes();
        if (old == null || old.isEmpty() || writeToken.equals(string(old, WRITE_TOKEN))) {
            return Optional.empty();
        }
        return Optional.of(claimOf(claim.learner(), old));
    }

    private static LearnerClaim claimOf(LearnerId learner, Map<String, AttributeValue> item) {
        return new LearnerClaim(
                learner,
                new SandboxId(string(item, SANDBOX_ID)),
                string(item, IDEMPOTENCY_KEY),
                Attributes.instant(item, CREATED_AT));
    }

    @Override
    public Optional<LearnerClaim> find(LearnerId learner) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(claimKey(learner)).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(claimOf(learner, item));
    }

    @Override
    public boolean repoint(LearnerId learner, SandboxId from, SandboxId to) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(claimKey(learner))
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
                PoolTable.PK,
                s(KEY_PREFIX + idempotencyKey),
                PoolTable.SK,
                s(KEY_SORT),
                LEARNER_ID,
                s(learner.value()),
                CREATED_AT,
                time(now),
                TTL,
                time(now.plus(retention)));
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item)
                    .conditionExpression(BIND_CONDITION)
                    .expressionAttributeValues(Map.of(":learner", s(learner.value()))));
            return true;
        } catch (ConditionalCheckFailedException boundElsewhere) {
            return false;
        }
    }

    private static Map<String, AttributeValue> claimKey(LearnerId learner) {
        return Map.of(PoolTable.PK, s(CLAIM_PREFIX + learner.value()), PoolTable.SK, s(CLAIM_SORT));
    }

    /** One query per hour bucket of the window (a handful), each followed to its last page. */
    @Override
    public List<LearnerClaim> createdBetween(Instant from, Instant to) {
        List<LearnerClaim> found = new ArrayList<>();
        Instant last = to.minusSeconds(1);
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS);
                !hour.isAfter(last);
                hour = hour.plus(1, ChronoUnit.HOURS)) {
            String bucket = hourOf(hour);
            dynamo.queryPaginator(b -> b.tableName(table)
                            .indexName(PoolTable.CLAIMS_INDEX)
                            .keyConditionExpression(HOUR_QUERY)
                            .expressionAttributeValues(
                                    Map.of(":hour", s(bucket), ":from", time(from), ":to", time(last))))
                    .items()
                    .forEach(item -> found.add(new LearnerClaim(
                            new LearnerId(string(item, LEARNER_ID)),
                            new SandboxId(string(item, SANDBOX_ID)),
                            string(item, IDEMPOTENCY_KEY),
                            Attributes.instant(item, CREATED_AT))));
        }
        return found;
    }

    @Override
    public boolean removeIfUnchanged(LearnerClaim claim) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(claimKey(claim.learner()))
                    .conditionExpression(REMOVE_CONDITION)
                    .expressionAttributeValues(
                            Map.of(":sandbox", s(claim.sandboxId().value()), ":created", time(claim.createdAt()))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            // Gone: our own earlier attempt removed it (applied, unanswered, retried by the SDK).
            return find(claim.learner()).isEmpty();
        }
    }

    static String hourOf(Instant instant) {
        return HOUR.format(instant);
    }
}
