package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.n;
import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.Actor;
import io.sandboxbroker.broker.core.Candidate;
import io.sandboxbroker.broker.core.HistoryEntry;
import io.sandboxbroker.broker.core.HistoryKind;
import io.sandboxbroker.broker.core.LearnerClaim;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.RandomIds;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxPage;
import io.sandboxbroker.broker.core.SandboxRepository;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The sandbox port on DynamoDB: one item per sandbox, every change a conditional write.
 *
 * <p>Used tenants never return to the pool. Two rules hold that here, whatever calls this class:
 * an item that was ever allocated is remembered ({@link DynamoRetiredTenants}) before anything
 * can make it disappear (the TTL set by {@link #markDeleted}, a bulk {@link #deleteIfStatus}), and
 * nothing becomes available without a consistent look at that memory while the item is still out
 * of the pool. A crash between the two steps leaves a remembered item that still exists, or a
 * parked (stale) item the next sync publishes: both safe. Allocation itself writes nothing more.
 */
public final class DynamoSandboxRepository implements SandboxRepository {
    /** Claim only what is still available; the write also drops it from the available index. */
    private static final String CLAIM_UPDATE = "SET #status = :allocated, allocated_to_track = :learner, "
            + "allocated_at = :now, expires_at = :expires, idempotency_key = :key, updated_at = :now, claim_token = :token, "
            + "extension_count = :zero, version = version + :one REMOVE avail_shard";

    private static final String CLAIM_CONDITION = "#status = :available";

    /** Release only by the holder, and only if nothing changed since it was read. */
    private static final String MARK_UPDATE =
            "SET #status = :pending, deletion_requested_at = :now, " + "updated_at = :now, version = version + :one";

    private static final String MARK_CONDITION =
            "#status = :allocated AND allocated_to_track = :learner " + "AND version = :version";

    /** Lease extension: only the allocation as read, so a racing expiry or release wins or loses whole. */
    private static final String EXTEND_UPDATE = "SET expires_at = :expires, extension_count = "
            + "if_not_exists(extension_count, :zero) + :one, updated_at = :now, version = version + :one";

    /** The end of an allocation held by an operator: out of the clean-up's queue, into quarantine. */
    private static final String RELEASE_HELD_UPDATE = "SET #status = :quarantined, quarantined_from = :pending, "
            + "deletion_requested_at = :now, updated_at = :now, version = version + :one";

    /** Quarantine: on the sandbox as the operator's request read it, and never twice. */
    private static final String QUARANTINE_CONDITION =
            "#status = :status AND version = :version " + "AND attribute_not_exists(quarantine_reason)";

    private static final String HOLD_ALLOCATED_UPDATE = "SET quarantine_reason = :reason, quarantined_from = :status, "
            + "updated_at = :now, version = version + :one";
    private static final String QUARANTINE_UPDATE = "SET #status = :quarantined, quarantine_reason = :reason, "
            + "quarantined_from = :status, updated_at = :now, version = version + :one REMOVE avail_shard";
    private static final String UNQUARANTINE_CONDITION =
            "#status = :status AND version = :version " + "AND attribute_exists(quarantine_reason)";
    private static final String UNHOLD_ALLOCATED_UPDATE =
            "SET updated_at = :now, version = version + :one " + "REMOVE quarantine_reason, quarantined_from";
    private static final String UNQUARANTINE_UPDATE = "SET #status = :to, updated_at = :now, version = version + :one "
            + "REMOVE quarantine_reason, quarantined_from";
    private static final String UNQUARANTINE_TO_POOL_UPDATE =
            "SET #status = :to, avail_shard = :shard, updated_at = :now, "
                    + "version = version + :one REMOVE quarantine_reason, quarantined_from";

    /** Sync: a vanished sandbox leaves the pool only if nobody took it meanwhile. */
    private static final String STALE_UPDATE = "SET #status = :stale, stale_since = :now, last_synced = :now, "
            + "updated_at = :now, version = version + :one REMOVE avail_shard";

    private static final String STALE_CONDITION = "#status = :available";

    /** Sync: a sandbox listed again returns to the pool on a random shard, only from stale. */
    private static final String REVIVE_UPDATE = "SET #status = :available, avail_shard = :shard, last_synced = :now, "
            + "updated_at = :now, version = version + :one REMOVE stale_since";

    private static final String REVIVE_CONDITION = "#status = :stale";

    /** Auto-expiry: only the very allocation that was read as overdue (the same condition as a release). */
    private static final String EXPIRE_UPDATE =
            "SET #status = :pending, deletion_requested_at = :now, " + "updated_at = :now, version = version + :one";

    /** Cleanup: every outcome applies only to the pending item as read just before the provider call. */
    private static final String PENDING_CONDITION = "#status = :pending AND version = :version";

    private static final String DEFER_UPDATE = "SET deletion_retry_count = if_not_exists(deletion_retry_count, :zero) "
            + "+ :one, next_attempt_at = :next, deletion_failure_reason = :reason, updated_at = :now, "
            + "version = version + :one";
    private static final String DELETED_UPDATE = "SET #status = :deleted, deleted_at = :now, #ttl = :ttl, "
            + "deletion_retry_count = :attempts, updated_at = :now, version = version + :one "
            + "REMOVE next_attempt_at, deletion_failure_reason";
    private static final String FAILED_UPDATE = "SET #status = :failed, deletion_failure_reason = :reason, "
            + "deletion_retry_count = :attempts, updated_at = :now, version = version + :one REMOVE next_attempt_at";

    /** Admin retry: only from deletion_failed, as the operator saw it. */
    private static final String RETRY_UPDATE =
            "SET #status = :pending, deletion_retry_count = :zero, updated_at = :now, "
                    + "version = version + :one REMOVE next_attempt_at";

    private static final String RETRY_CONDITION = "#status = :failed AND version = :version";

    /** Stale sweep: still stale since the same moment (not revived and lost again meanwhile). */
    private static final String SWEEP_CONDITION = "#status = :stale AND stale_since = :since";

    private static final String SWEEP_CONDITION_LEGACY = "#status = :stale AND attribute_not_exists(stale_since)";

    /** Sync adds (parked, out of the pool); it never overwrites an item that exists, whatever its state. */
    private static final String ADD_CONDITION = "attribute_not_exists(pk)";

    private static final String DELETE_CONDITION = "#status = :status";

    private static final Map<String, String> STATUS_NAME = Map.of("#status", SandboxItem.STATUS);
    private static final Map<String, String> STATUS_AND_TTL =
            Map.of("#status", SandboxItem.STATUS, "#ttl", SandboxItem.TTL);

    private final DynamoDbClient dynamo;
    private final String table;
    private final int shards;
    private final DynamoRetiredTenants retired;
    private final DynamoSandboxHistory history;
    /**
     * Shards (per name prefix) whose last read reached their end. Bounded: prefixes come from a
     * header. Only an order of reading, never a decision, so it needs no expiry.
     */
    private final Set<String> drained = ConcurrentHashMap.newKeySet();

    private final ShardStarts starts = new ShardStarts();

    /**
     * This process's order of reading the shards, drawn once. Processes that each work through
     * a shard of their own rarely hold the same candidates; a fresh random order at every read
     * put two busy processes in the same shard one read in {@code shards}. Two processes that drew
     * the same first shard meet there: a candidate gone from a shard moves that shard to the end.
     */
    private volatile List<Integer> preferred;

    /** The shard each recently read candidate came from, for {@link #candidateGone}. Bounded. */
    private final Map<SandboxId, Integer> shardOfCandidate = new ConcurrentHashMap<>();

    private static final int MAX_CANDIDATES_KEPT = 10_000;

    private static final int MAX_DRAINED = 4096;

    /** How many times what it is asked for a read from an end of a shard reads, to pick from at random. */
    static final int END_READ_WIDTH = 4;

    /** A tail longer than this is moved to event items by the write that grew it. */
    static final int MAX_TAIL = 8;

    public DynamoSandboxRepository(DynamoDbClient dynamo, String table, int shards) {
        this(dynamo, table, shards, new DynamoSandboxHistory(dynamo, table, java.time.Duration.ofDays(90)));
    }

    public DynamoSandboxRepository(DynamoDbClient dynamo, String table, int shards, DynamoSandboxHistory history) {
        this.dynamo = dynamo;
        this.table = table;
        this.shards = shards;
        this.retired = new DynamoRetiredTenants(dynamo, table);
        this.history = history;
        List<Integer> order = new ArrayList<>(IntStream.range(0, shards).boxed().toList());
        Collections.shuffle(order);
        this.preferred = List.copyOf(order);
    }

    @Override
    public Optional<Sandbox> find(SandboxId id) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(SandboxItem.key(id)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(SandboxItem.toSandbox(item));
    }

    /**
     * Shards are visited in this process's own order and read from a random name onwards (wrapping round to
     * the shard's first name), or from an end in a random direction while too little of the
     * shard is known for that, so callers on many processes start from different candidates; the
     * first non-empty shard answers. A shard read to its end is remembered as drained, and read
     * after the others: what it held went to the caller's buffer and is soon claimed, so asking it
     * again would mostly cost an empty query. The mark stays until a read finds more in the shard:
     * a mark that expired by time made an emptied shard cost a query again once a few seconds
     * had passed, at every refill. Drained shards are still read, last, so "empty" is never
     * decided from memory, and items that come back to a drained shard are found once the others
     * run dry.
     */
    @Override
    public void candidateGone(String namePrefix, Candidate candidate) {
        Integer shard = shardOfCandidate.remove(candidate.id());
        if (shard != null) {
            moveToTheEnd(shard);
        }
    }

    private synchronized void moveToTheEnd(int shard) {
        List<Integer> order = new ArrayList<>(preferred);
        order.remove(Integer.valueOf(shard));
        order.add(shard);
        preferred = List.copyOf(order);
    }

    @Override
    public List<Candidate> availableCandidates(String namePrefix, int limit) {
        List<Integer> order = new ArrayList<>(preferred);
        order.sort(java.util.Comparator.comparing(shard -> drained.contains(drainKey(namePrefix, shard))));
        for (int shard : order) {
            Optional<String> start = starts.random(namePrefix, shard, ThreadLocalRandom.current());
            List<Candidate> found = start.isPresent()
                    ? readFrom(namePrefix, shard, start.get(), limit)
                    : readFromAnEnd(namePrefix, shard, limit);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /**
     * Used while too little of the shard is known for a random start; the candidates come back in
     * random order, picked from {@value #END_READ_WIDTH} times as many as asked for: two processes
     * that start on the same shard from the same end would otherwise hold the same ones. When the read did not reach
     * the other end, one item from there (once per shard and prefix): random starts need the
     * whole range of names, or they would stay near the end read first.
     */
    private List<Candidate> readFromAnEnd(String namePrefix, int shard, int limit) {
        boolean forward = ThreadLocalRandom.current().nextBoolean();
        QueryResponse response = dynamo.query(candidateQuery(namePrefix, shard, limit * END_READ_WIDTH)
                .scanIndexForward(forward)
                .build());
        List<Candidate> found = new ArrayList<>(candidates(namePrefix, shard, response, null));
        // Another process reading the same end picks other ones of these.
        Collections.shuffle(found);
        // Read to its end only if the caller gets all of it: what it is not given is still there.
        noteDrained(namePrefix, shard, !hasMore(response) && found.size() <= limit);
        if (hasMore(response) && !found.isEmpty()) {
            candidates(
                    namePrefix,
                    shard,
                    dynamo.query(candidateQuery(namePrefix, shard, 1)
                            .scanIndexForward(!forward)
                            .build()),
                    null);
        }
        return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    }

    /**
     * From {@code start} to the end of the prefix's names, then, for what is missing, from its first
     * name up to {@code start}. The first read ends where names with the prefix end, when that
     * name can be given (an ASCII prefix: headers are); otherwise it may run past the prefix's names,
     * and those are left out, and the range counts as read. Unbounded, a read that started near the
     * end of a small group read up to its whole limit of other groups' names.
     */
    private List<Candidate> readFrom(String namePrefix, int shard, String start, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":shard", s(SandboxItem.shardKey(shard)));
        values.put(":start", s(start));
        String condition = "avail_shard = :shard AND #name >= :start";
        // BETWEEN refuses an end below its start; a start is drawn from the prefix's own names, so
        // this only guards.
        Optional<String> end = pastThePrefix(namePrefix).filter(name -> name.compareTo(start) >= 0);
        if (end.isPresent()) {
            condition = "avail_shard = :shard AND #name BETWEEN :start AND :end";
            values.put(":end", s(end.get()));
        }
        QueryResponse upper = dynamo.query(QueryRequest.builder()
                .tableName(table)
                .indexName(PoolTable.AVAILABLE_INDEX)
                .keyConditionExpression(condition)
                .expressionAttributeNames(Map.of("#name", SandboxItem.NAME))
                .expressionAttributeValues(values)
                .limit(limit)
                .build());
        List<Candidate> found = new ArrayList<>(candidates(namePrefix, shard, upper, null));
        boolean pastPrefix = upper.items().stream()
                .anyMatch(item -> !item.get(SandboxItem.NAME).s().startsWith(namePrefix));
        if (found.size() >= limit || (hasMore(upper) && !pastPrefix)) {
            noteDrained(namePrefix, shard, false);
            return found;
        }
        QueryResponse lower = dynamo.query(candidateQuery(namePrefix, shard, limit - found.size())
                .scanIndexForward(true)
                .build());
        List<Candidate> below = candidates(namePrefix, shard, lower, start);
        noteDrained(
                namePrefix,
                shard,
                !hasMore(lower) || below.size() < lower.items().size());
        found.addAll(below);
        return found;
    }

    /**
     * The first name after every name that starts with {@code prefix}: the prefix with its last
     * character raised by one, when that character is ASCII (compared alike as UTF-16 and as UTF-8
     * bytes, as DynamoDB compares). The name itself may be read; it does not have the prefix.
     */
    static Optional<String> pastThePrefix(String prefix) {
        int last = prefix.length() - 1;
        if (last < 0 || prefix.charAt(last) >= 0x7F) {
            return Optional.empty();
        }
        return Optional.of(prefix.substring(0, last) + (char) (prefix.charAt(last) + 1));
    }

    /** The prefix's candidates a read returned (those below {@code before}, when given), noting the names it saw. */
    private List<Candidate> candidates(String namePrefix, int shard, QueryResponse response, String before) {
        List<Candidate> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            String name = item.get(SandboxItem.NAME).s();
            if (name.startsWith(namePrefix) && (before == null || name.compareTo(before) < 0)) {
                found.add(new Candidate(
                        new SandboxId(item.get(SandboxItem.SANDBOX_ID).s()), name));
            }
        }
        if (shardOfCandidate.size() + found.size() > MAX_CANDIDATES_KEPT) {
            shardOfCandidate.clear();
        }
        found.forEach(candidate -> shardOfCandidate.put(candidate.id(), shard));
        if (!found.isEmpty()) {
            starts.saw(
                    namePrefix,
                    shard,
                    found.get(0).name(),
                    found.get(found.size() - 1).name());
        }
        return found;
    }

    private static boolean hasMore(QueryResponse response) {
        return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
    }

    private void noteDrained(String prefix, int shard, boolean readToTheEnd) {
        String key = drainKey(prefix, shard);
        if (!readToTheEnd) {
            drained.remove(key);
            return;
        }
        if (drained.size() >= MAX_DRAINED) {
            drained.clear();
        }
        drained.add(key);
    }

    private static String drainKey(String prefix, int shard) {
        return shard + "#" + prefix;
    }

    private QueryRequest.Builder candidateQuery(String namePrefix, int shard, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":shard", s(SandboxItem.shardKey(shard)));
        String condition = "avail_shard = :shard";
        if (!namePrefix.isEmpty()) {
            condition += " AND begins_with(#name, :prefix)";
            values.put(":prefix", s(namePrefix));
        }
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table)
                .indexName(PoolTable.AVAILABLE_INDEX)
                .keyConditionExpression(condition)
                .expressionAttributeValues(values)
                .limit(limit);
        if (!namePrefix.isEmpty()) {
            query.expressionAttributeNames(Map.of("#name", SandboxItem.NAME));
        }
        return query;
    }

    @Override
    public Optional<Sandbox> claim(
            SandboxId id, LearnerClaim claim, String trackName, Instant now, Instant expiresAt, String writeToken) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":allocated", s(SandboxStatus.ALLOCATED.wire()));
        values.put(":available", s(SandboxStatus.AVAILABLE.wire()));
        values.put(":learner", s(claim.learner().value()));
        values.put(":now", time(now));
        values.put(":expires", time(expiresAt));
        values.put(":key", s(claim.idempotencyKey()));
        values.put(":one", n(1));
        values.put(":token", s(writeToken));
        values.put(":zero", n(0));
        values.put(
                ":entry",
                HistoryItems.newEntry(
                        HistoryKind.ALLOCATED,
                        SandboxStatus.AVAILABLE,
                        SandboxStatus.ALLOCATED,
                        now,
                        claim.learner().value(),
                        trackName));
        String update = CLAIM_UPDATE;
        if (trackName != null) {
            update = update.replace("SET ", "SET track_name = :track, ");
            values.put(":track", s(trackName));
        }
        // The claim has its own token (claim_token), which the allocation reads back itself.
        return write(id, update, CLAIM_CONDITION, STATUS_NAME, values).map(item -> sandbox(id, item));
    }

    @Override
    public Optional<Sandbox> markForDeletion(Sandbox current, Instant now) {
        return endAllocation(current, MARK_UPDATE, HistoryKind.MARKED, now, null);
    }

    /**
     * Release and expiry: allocated → pending_deletion, or → quarantined while an operator holds it
     * (the version in the condition pins the hold as read).
     */
    private Optional<Sandbox> endAllocation(
            Sandbox current, String update, HistoryKind kind, Instant now, String detail) {
        boolean held = current.quarantine() != null;
        SandboxStatus to = held ? SandboxStatus.QUARANTINED : SandboxStatus.PENDING_DELETION;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":pending", s(SandboxStatus.PENDING_DELETION.wire()),
                ":allocated", s(SandboxStatus.ALLOCATED.wire()),
                ":learner", s(current.learner().value()),
                ":version", n(current.version()),
                ":now", time(now),
                ":one", n(1),
                ":entry",
                        HistoryItems.newEntry(
                                kind,
                                SandboxStatus.ALLOCATED,
                                to,
                                now,
                                current.learner().value(),
                                detail)));
        if (held) {
            values.put(":quarantined", s(SandboxStatus.QUARANTINED.wire()));
        }
        return conditionalUpdate(current.id(), held ? RELEASE_HELD_UPDATE : update, MARK_CONDITION, values);
    }

    @Override
    public Optional<Sandbox> quarantine(Sandbox current, String reason, Instant now) {
        boolean allocated = current.status() == SandboxStatus.ALLOCATED;
        SandboxStatus to = allocated ? SandboxStatus.ALLOCATED : SandboxStatus.QUARANTINED;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(current.status().wire()),
                ":version", n(current.version()),
                ":reason", s(nonEmpty(reason)),
                ":now", time(now),
                ":one", n(1),
                ":entry",
                        HistoryItems.newEntry(
                                HistoryKind.QUARANTINED,
                                current.status(),
                                to,
                                now,
                                holder(current),
                                nonEmpty(reason))));
        if (!allocated) {
            values.put(":quarantined", s(SandboxStatus.QUARANTINED.wire()));
        }
        return conditionalUpdate(
                current.id(), allocated ? HOLD_ALLOCATED_UPDATE : QUARANTINE_UPDATE, QUARANTINE_CONDITION, values);
    }

    @Override
    public Optional<Sandbox> releaseQuarantine(Sandbox current, Instant now) {
        if (current.quarantine() == null) {
            return Optional.empty();
        }
        boolean allocated = current.status() == SandboxStatus.ALLOCATED;
        SandboxStatus to =
                allocated ? SandboxStatus.ALLOCATED : current.quarantine().from();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(current.status().wire()),
                ":version", n(current.version()),
                ":now", time(now),
                ":one", n(1),
                ":entry",
                        HistoryItems.newEntry(
                                HistoryKind.QUARANTINE_RELEASED,
                                current.status(),
                                to,
                                now,
                                holder(current),
                                current.quarantine().reason())));
        String update = UNHOLD_ALLOCATED_UPDATE;
        if (!allocated) {
            values.put(":to", s(to.wire()));
            update = UNQUARANTINE_UPDATE;
            if (to == SandboxStatus.AVAILABLE) {
                values.put(
                        ":shard",
                        s(SandboxItem.shardKey(ThreadLocalRandom.current().nextInt(shards))));
                update = UNQUARANTINE_TO_POOL_UPDATE;
            }
        }
        return conditionalUpdate(current.id(), update, UNQUARANTINE_CONDITION, values);
    }

    @Override
    public Optional<Sandbox> extend(Sandbox current, Instant expiresAt, Instant now) {
        if (current.learner() == null) {
            return Optional.empty();
        }
        return conditionalUpdate(
                current.id(),
                EXTEND_UPDATE,
                MARK_CONDITION,
                Map.of(
                        ":allocated", s(SandboxStatus.ALLOCATED.wire()),
                        ":learner", s(current.learner().value()),
                        ":version", n(current.version()),
                        ":expires", time(expiresAt),
                        ":now", time(now),
                        ":zero", n(0),
                        ":one", n(1),
                        ":entry",
                                HistoryItems.newEntry(
                                        HistoryKind.EXTENDED,
                                        SandboxStatus.ALLOCATED,
                                        SandboxStatus.ALLOCATED,
                                        now,
                                        current.learner().value(),
                                        "expires_at " + current.expiresAt().getEpochSecond() + " -> "
                                                + expiresAt.getEpochSecond())));
    }

    private Optional<Sandbox> conditionalUpdate(
            SandboxId id, String update, String condition, Map<String, AttributeValue> values) {
        return recognisedUpdate(id, update, condition, STATUS_NAME, values);
    }

    /**
     * A conditional update that recognises its own earlier success: it also writes a token of its
     * own, and when the condition fails, a consistent read tells whether the item carries that
     * token. The SDK retries a write whose first attempt was applied but whose answer was lost
     * (a timeout, a 500); the retry then fails its condition against our own change, which must
     * count as done, not as "changed meanwhile".
     */
    private Optional<Sandbox> recognisedUpdate(
            SandboxId id,
            String update,
            String condition,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        return recognisedWrite(id, update, condition, names, values).map(item -> sandbox(id, item));
    }

    /** {@link #recognisedUpdate} answering the item as written, for a caller that needs more than the sandbox. */
    private Optional<Map<String, AttributeValue>> recognisedWrite(
            SandboxId id,
            String update,
            String condition,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        String token = RandomIds.next();
        Map<String, AttributeValue> withToken = new HashMap<>(values);
        withToken.put(":write_token", s(token));
        Optional<Map<String, AttributeValue>> written = write(
                id,
                update.replaceFirst("^SET ", "SET " + SandboxItem.WRITE_TOKEN + " = :write_token, "),
                condition,
                names,
                withToken);
        if (written.isPresent()) {
            return written;
        }
        return ownEarlierWrite(id, token);
    }

    /** The sandbox an update answered; its history moves to event items once the item holds too much of it. */
    private Sandbox sandbox(SandboxId id, Map<String, AttributeValue> item) {
        if (HistoryItems.tail(item).size() > MAX_TAIL) {
            history.archive(id, item);
        }
        return SandboxItem.toSandbox(item);
    }

    private Optional<Map<String, AttributeValue>> ownEarlierWrite(SandboxId id, String token) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(SandboxItem.key(id)).consistentRead(true))
                .item();
        if (item == null || item.isEmpty() || !token.equals(Attributes.string(item, SandboxItem.WRITE_TOKEN))) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    /**
     * The change and its history entry ({@code :entry} in {@code values}) in one conditional
     * update: the entry exists exactly when the change was applied.
     */
    private Optional<Map<String, AttributeValue>> write(
            SandboxId id,
            String update,
            String condition,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        Map<String, String> withTail = new HashMap<>(names);
        withTail.put("#tail", HistoryItems.TAIL);
        Map<String, AttributeValue> withEmpty = new HashMap<>(values);
        withEmpty.put(":empty", AttributeValue.fromL(List.of()));
        String recorded =
                update.replaceFirst("^SET ", "SET #tail = list_append(if_not_exists(#tail, :empty), :entry), ");
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table)
                            .key(SandboxItem.key(id))
                            .updateExpression(recorded)
                            .conditionExpression(condition)
                            .expressionAttributeNames(withTail)
                            .expressionAttributeValues(withEmpty)
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
            return Optional.of(after);
        } catch (ConditionalCheckFailedException changed) {
            return Optional.empty();
        }
    }

    /**
     * Put parked as stale (out of every allocation path), then published only if the id is not
     * remembered as retired. The look at the memory comes after the put succeeded: a concurrent
     * bulk-delete or TTL can only have removed a record whose memory it wrote first, so a put
     * that found no item is followed by a read that sees the memory.
     */
    @Override
    public boolean addIfAbsent(ProviderSandbox sandbox, Instant now) {
        String token = RandomIds.next();
        Map<String, AttributeValue> item = new HashMap<>(SandboxItem.parked(sandbox, now));
        item.put(SandboxItem.WRITE_TOKEN, s(token));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(ADD_CONDITION));
        } catch (ConditionalCheckFailedException exists) {
            // exists already, unless it is our own put, applied on an attempt whose answer was lost
            if (ownEarlierWrite(sandbox.id(), token).isEmpty()) {
                return false;
            }
        }
        return publish(sandbox.id(), now, HistoryKind.SYNCED_IN).isPresent();
    }

    @Override
    public SandboxPage page(Optional<SandboxStatus> status, int limit, Optional<String> cursor) {
        PageCursor start = cursor.map(PageCursor::decode)
                .orElseGet(() -> PageCursor.first(status.orElse(SandboxStatus.values()[0])));
        if (status.isPresent() && start.status() != status.get()) {
            throw PageCursor.invalid();
        }
        List<Sandbox> found = new ArrayList<>();
        SandboxStatus current = start.status();
        Map<String, AttributeValue> startKey = start.lastKey();
        while (true) {
            QueryResponse response = queryStatus(current, startKey, limit - found.size());
            response.items().forEach(item -> found.add(SandboxItem.toSandbox(item)));
            Map<String, AttributeValue> lastKey = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
            Optional<SandboxStatus> nextStatus = status.isPresent() ? Optional.empty() : next(current);
            if (lastKey == null && nextStatus.isEmpty()) {
                return new SandboxPage(found, Optional.empty());
            }
            PageCursor resume = lastKey != null ? new PageCursor(current, lastKey) : PageCursor.first(nextStatus.get());
            if (found.size() >= limit) {
                return new SandboxPage(found, Optional.of(resume.encode()));
            }
            current = resume.status();
            startKey = resume.lastKey();
        }
    }

    private static Optional<SandboxStatus> next(SandboxStatus status) {
        SandboxStatus[] all = SandboxStatus.values();
        return status.ordinal() + 1 < all.length ? Optional.of(all[status.ordinal() + 1]) : Optional.empty();
    }

    private QueryResponse queryStatus(SandboxStatus status, Map<String, AttributeValue> startKey, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table)
                .indexName(PoolTable.STATUS_INDEX)
                .keyConditionExpression("#status = :status")
                .expressionAttributeNames(STATUS_NAME)
                .expressionAttributeValues(Map.of(":status", s(status.wire())))
                .limit(limit);
        if (startKey != null) {
            query.exclusiveStartKey(startKey);
        }
        return dynamo.query(query.build());
    }

    @Override
    public void forEach(SandboxStatus status, Consumer<Sandbox> visitor) {
        dynamo.queryPaginator(b -> b.tableName(table)
                        .indexName(PoolTable.STATUS_INDEX)
                        .keyConditionExpression("#status = :status")
                        .expressionAttributeNames(STATUS_NAME)
                        .expressionAttributeValues(Map.of(":status", s(status.wire()))))
                .items()
                .forEach(item -> visitor.accept(SandboxItem.toSandbox(item)));
    }

    /** Anything but a stale item (never allocated) is remembered as retired before it goes. */
    @Override
    public boolean deleteIfStatus(SandboxId id, SandboxStatus status) {
        if (status != SandboxStatus.STALE && status != SandboxStatus.AVAILABLE) {
            Optional<Sandbox> current = find(id).filter(sandbox -> sandbox.status() == status);
            if (current.isEmpty()) {
                return false;
            }
            retired.remember(current.get(), Instant.now());
        }
        return removeWithHistory(
                id, DELETE_CONDITION, Map.of(":status", s(status.wire())), "removed from the table by an operator");
    }

    @Override
    public Optional<Sandbox> markStale(SandboxId id, Instant now) {
        return recognisedUpdate(
                id,
                STALE_UPDATE,
                STALE_CONDITION,
                STATUS_NAME,
                Map.of(
                        ":stale", s(SandboxStatus.STALE.wire()),
                        ":available", s(SandboxStatus.AVAILABLE.wire()),
                        ":now", time(now),
                        ":one", n(1),
                        ":entry",
                                HistoryItems.newEntry(
                                        HistoryKind.STALE,
                                        SandboxStatus.AVAILABLE,
                                        SandboxStatus.STALE,
                                        now,
                                        null,
                                        "no longer listed by the provider")));
    }

    /** Never for a retired id: the memory is read while the item is still stale, out of the pool. */
    @Override
    public Optional<Sandbox> revive(SandboxId id, Instant now) {
        return publish(id, now, HistoryKind.REVIVED);
    }

    private Optional<Sandbox> publish(SandboxId id, Instant now, HistoryKind kind) {
        if (retired.isRetired(id)) {
            return Optional.empty();
        }
        return recognisedUpdate(
                id,
                REVIVE_UPDATE,
                REVIVE_CONDITION,
                STATUS_NAME,
                Map.of(
                        ":available", s(SandboxStatus.AVAILABLE.wire()),
                        ":stale", s(SandboxStatus.STALE.wire()),
                        ":shard",
                                s(SandboxItem.shardKey(
                                        ThreadLocalRandom.current().nextInt(shards))),
                        ":now", time(now),
                        ":one", n(1),
                        ":entry",
                                HistoryItems.newEntry(
                                        kind,
                                        kind == HistoryKind.SYNCED_IN ? null : SandboxStatus.STALE,
                                        SandboxStatus.AVAILABLE,
                                        now,
                                        null,
                                        null)));
    }

    @Override
    public Optional<Sandbox> expire(Sandbox current, Instant now) {
        if (current.learner() == null) {
            return Optional.empty();
        }
        return endAllocation(
                current,
                EXPIRE_UPDATE,
                HistoryKind.EXPIRED,
                now,
                "expired at " + current.expiresAt().getEpochSecond());
    }

    @Override
    public Optional<Sandbox> deferDeletion(Sandbox current, String reason, Instant nextAttemptAt, Instant now) {
        return recognisedUpdate(
                current.id(),
                DEFER_UPDATE,
                PENDING_CONDITION,
                STATUS_NAME,
                Map.of(
                        ":pending", s(SandboxStatus.PENDING_DELETION.wire()),
                        ":version", n(current.version()),
                        ":zero", n(0),
                        ":one", n(1),
                        ":next", time(nextAttemptAt),
                        ":reason", s(nonEmpty(reason)),
                        ":now", time(now),
                        ":entry",
                                HistoryItems.newEntry(
                                        HistoryKind.DELETION_ATTEMPT_FAILED,
                                        SandboxStatus.PENDING_DELETION,
                                        SandboxStatus.PENDING_DELETION,
                                        now,
                                        holder(current),
                                        nonEmpty(reason))));
    }

    @Override
    public Optional<Sandbox> markDeleted(Sandbox current, Instant now, Instant removeAt) {
        // Before the TTL is set: the record may vanish from then on, the memory must not.
        retired.remember(current, now);
        Optional<Map<String, AttributeValue>> deleted = recognisedWrite(
                current.id(),
                DELETED_UPDATE,
                PENDING_CONDITION,
                STATUS_AND_TTL,
                Map.of(
                        ":pending", s(SandboxStatus.PENDING_DELETION.wire()),
                        ":deleted", s(SandboxStatus.DELETED.wire()),
                        ":version", n(current.version()),
                        ":attempts", n(current.deletionRetryCount() + 1L),
                        ":ttl", time(removeAt),
                        ":now", time(now),
                        ":one", n(1),
                        ":entry",
                                HistoryItems.newEntry(
                                        HistoryKind.DELETED,
                                        SandboxStatus.PENDING_DELETION,
                                        SandboxStatus.DELETED,
                                        now,
                                        holder(current),
                                        null)));
        // The item may vanish from now on (TTL): its history moves to event items of its own, from
        // the item the update answered (no second read).
        deleted.ifPresent(item -> history.archive(current.id(), item));
        return deleted.map(SandboxItem::toSandbox);
    }

    @Override
    public Optional<Sandbox> markDeletionFailed(Sandbox current, String reason, Instant now) {
        return recognisedUpdate(
                current.id(),
                FAILED_UPDATE,
                PENDING_CONDITION,
                STATUS_NAME,
                Map.of(
                        ":pending", s(SandboxStatus.PENDING_DELETION.wire()),
                        ":failed", s(SandboxStatus.DELETION_FAILED.wire()),
                        ":version", n(current.version()),
                        ":attempts", n(current.deletionRetryCount() + 1L),
                        ":reason", s(nonEmpty(reason)),
                        ":now", time(now),
                        ":one", n(1),
                        ":entry",
                                HistoryItems.newEntry(
                                        HistoryKind.DELETION_FAILED,
                                        SandboxStatus.PENDING_DELETION,
                                        SandboxStatus.DELETION_FAILED,
                                        now,
                                        holder(current),
                                        nonEmpty(reason))));
    }

    @Override
    public Optional<Sandbox> retryDeletion(Sandbox current, Instant now) {
        return recognisedUpdate(
                current.id(),
                RETRY_UPDATE,
                RETRY_CONDITION,
                STATUS_NAME,
                Map.of(
                        ":pending", s(SandboxStatus.PENDING_DELETION.wire()),
                        ":failed", s(SandboxStatus.DELETION_FAILED.wire()),
                        ":version", n(current.version()),
                        ":zero", n(0),
                        ":now", time(now),
                        ":one", n(1),
                        ":entry",
                                HistoryItems.newEntry(
                                        HistoryKind.RETRIED_BY_ADMIN,
                                        SandboxStatus.DELETION_FAILED,
                                        SandboxStatus.PENDING_DELETION,
                                        now,
                                        holder(current),
                                        null)));
    }

    @Override
    public boolean removeStale(Sandbox current) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":stale", s(SandboxStatus.STALE.wire()));
        String condition = SWEEP_CONDITION_LEGACY;
        if (current.staleSince() != null) {
            condition = SWEEP_CONDITION;
            values.put(":since", time(current.staleSince()));
        }
        return removeWithHistory(current.id(), condition, values, "stale past the grace period");
    }

    /**
     * The tail is copied to event items before the conditional delete (so a crash after the
     * delete keeps it), and again from the deleted item itself, with the removal, after it.
     */
    private boolean removeWithHistory(
            SandboxId id, String condition, Map<String, AttributeValue> values, String detail) {
        rawItem(id).ifPresent(item -> history.record(id, HistoryItems.tail(item)));
        Map<String, AttributeValue> old;
        try {
            old = dynamo.deleteItem(b -> b.tableName(table)
                            .key(SandboxItem.key(id))
                            .conditionExpression(condition)
                            .expressionAttributeNames(STATUS_NAME)
                            .expressionAttributeValues(values)
                            .returnValues(ReturnValue.ALL_OLD))
                    .attributes();
        } catch (ConditionalCheckFailedException changed) {
            return isGone(id);
        }
        if (old != null && !old.isEmpty()) {
            history.record(id, HistoryItems.tail(old));
            recordRemoval(old, detail);
        }
        return true;
    }

    private static String holder(Sandbox sandbox) {
        return sandbox.learner() == null ? null : sandbox.learner().value();
    }

    private Optional<Map<String, AttributeValue>> rawItem(SandboxId id) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(SandboxItem.key(id)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Before an item is removed its tail is archived; after, the removal itself is recorded. A
     * crash between the delete and that last put loses only the "removed" entry (the sandbox is
     * gone either way); everything before it is already in event items.
     */
    private void recordRemoval(Map<String, AttributeValue> item, String detail) {
        Sandbox gone = SandboxItem.toSandbox(item);
        Actor actor = Actor.current();
        history.record(
                gone.id(),
                List.of(new HistoryEntry(
                        gone.version() + 1,
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        HistoryKind.REMOVED,
                        gone.status(),
                        gone.status(),
                        actor.name(),
                        actor.ref(),
                        holder(gone),
                        detail)));
    }

    /**
     * After a conditional delete failed: an item that is gone was removed by our own earlier
     * attempt, applied but unanswered and retried by the SDK (or, rarely, by a twin at the same
     * moment, which wanted the same).
     */
    private boolean isGone(SandboxId id) {
        return find(id).isEmpty();
    }

    private static String nonEmpty(String reason) {
        return reason == null || reason.isEmpty() ? "unknown" : reason;
    }
}
