package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.string;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.JobRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Job runs on the pool table: {@code JOBRUN#<job>} / {@code <started at>#<run id>}, newest first by
 * reading the partition backwards; they expire through {@code ttl}. Times keep milliseconds
 * ({@code started_at_ms}), since runs every 30 s are ordered by them.
 */
public final class DynamoJobRuns implements JobRuns {
    private static final String PREFIX = "JOBRUN#";
    /** A run is recorded once. */
    private static final String NEW_CONDITION = "attribute_not_exists(pk)";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoJobRuns(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public void record(JobRun run) {
        Map<String, AttributeValue> counts = new LinkedHashMap<>();
        run.counts().forEach((name, count) -> counts.put(name, Attributes.n(count)));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PoolTable.PK, s(PREFIX + run.job()));
        item.put(PoolTable.SK, s(SortableTime.format(run.startedAt()) + "#" + run.runId()));
        item.put("job", s(run.job()));
        item.put("node", s(run.node()));
        item.put("run_id", s(run.runId()));
        item.put("started_at_ms", Attributes.n(run.startedAt().toEpochMilli()));
        item.put("finished_at_ms", Attributes.n(run.finishedAt().toEpochMilli()));
        item.put("outcome", s(run.outcome()));
        item.put("counts", AttributeValue.fromM(counts));
        item.put("ttl", time(run.startedAt().plus(retention)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(NEW_CONDITION));
        } catch (ConditionalCheckFailedException ownEarlierAttempt) {
            // The key is this run's own (its start and run id), so the item that is already there
            // is our own put, applied on an attempt whose answer was lost and retried.
        }
    }

    @Override
    public List<JobRun> recent(String job, int limit) {
        return dynamo
                .query(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PREFIX + job)))
                        .scanIndexForward(false)
                        .limit(limit))
                .items()
                .stream()
                .map(DynamoJobRuns::toRun)
                .toList();
    }

    private static JobRun toRun(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new LinkedHashMap<>();
        AttributeValue stored = item.get("counts");
        if (stored != null && stored.hasM()) {
            stored.m().forEach((name, value) -> counts.put(name, Long.parseLong(value.n())));
        }
        return new JobRun(
                string(item, "job"),
                string(item, "node"),
                string(item, "run_id"),
                Instant.ofEpochMilli(Attributes.number(item, "started_at_ms", 0)),
                Instant.ofEpochMilli(Attributes.number(item, "finished_at_ms", 0)),
                string(item, "outcome"),
                counts);
    }
}
