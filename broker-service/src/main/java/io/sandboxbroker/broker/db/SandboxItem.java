package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.instant;
import static io.sandboxbroker.broker.db.Attributes.n;
import static io.sandboxbroker.broker.db.Attributes.number;
import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.string;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.Quarantine;
import io.sandboxbroker.broker.core.Sandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps a sandbox to its item. Attribute names are those of the system we replace, so existing
 * dashboards and queries keep working; {@code allocated_to_track} holds the learner id.
 */
final class SandboxItem {
    static final String PREFIX = "SANDBOX#";
    static final String SORT = "SANDBOX";

    static final String SANDBOX_ID = "sandbox_id";
    static final String NAME = "name";
    static final String EXTERNAL_ID = "external_id";
    static final String STATUS = "status";
    static final String SFDC_ACCOUNT_ID = "sfdc_account_id";
    static final String LEARNER = "allocated_to_track";
    static final String TRACK_NAME = "track_name";
    static final String IDEMPOTENCY_KEY = "idempotency_key";
    static final String ALLOCATED_AT = "allocated_at";
    static final String EXPIRES_AT = "expires_at";
    static final String DELETION_REQUESTED_AT = "deletion_requested_at";
    static final String DELETION_RETRY_COUNT = "deletion_retry_count";
    static final String LAST_SYNCED = "last_synced";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final String VERSION = "version";
    /** Written by each allocation's claim, so a request can recognise its own write. */
    static final String CLAIM_TOKEN = "claim_token";
    /** Written by every other conditional change, so a retried write can recognise its own success. */
    static final String WRITE_TOKEN = "write_token";
    /** Pending deletions: not retried before this time (epoch seconds). */
    static final String NEXT_ATTEMPT_AT = "next_attempt_at";
    /** Stale sandboxes: when sync last saw it vanish. */
    static final String STALE_SINCE = "stale_since";
    /** Why the cleanup gave up (deletion_failed) or last failed (pending_deletion). */
    static final String DELETION_FAILURE = "deletion_failure_reason";

    static final String DELETED_AT = "deleted_at";
    /** DynamoDB TTL (epoch seconds): deleted sandboxes go away on their own. */
    static final String TTL = "ttl";
    /** An operator's hold: why, and the status it left (see {@code Quarantine}). */
    static final String QUARANTINE_REASON = "quarantine_reason";

    static final String QUARANTINED_FROM = "quarantined_from";
    /** How often the current allocation's lease was extended. */
    static final String EXTENSION_COUNT = "extension_count";
    /** Present only while available: the item's shard in the available index. */
    static final String AVAIL_SHARD = "avail_shard";

    private SandboxItem() {}

    static Map<String, AttributeValue> key(SandboxId id) {
        return Map.of(PoolTable.PK, s(PREFIX + id.value()), PoolTable.SK, s(SORT));
    }

    static String shardKey(int shard) {
        return "AVAILABLE#" + shard;
    }

    /** A new available item for a sandbox the provider lists. */
    static Map<String, AttributeValue> available(ProviderSandbox sandbox, int shard, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(sandbox.id()));
        item.put(SANDBOX_ID, s(sandbox.id().value()));
        item.put(NAME, s(sandbox.name()));
        item.put(EXTERNAL_ID, s(sandbox.externalId()));
        item.put(STATUS, s(SandboxStatus.AVAILABLE.wire()));
        if (sandbox.sfdcAccountId() != null && !sandbox.sfdcAccountId().isEmpty()) {
            item.put(SFDC_ACCOUNT_ID, s(sandbox.sfdcAccountId()));
        }
        item.put(AVAIL_SHARD, s(shardKey(shard)));
        item.put(DELETION_RETRY_COUNT, n(0));
        item.put(LAST_SYNCED, time(now));
        item.put(CREATED_AT, time(sandbox.createdAt() == null ? now : sandbox.createdAt()));
        item.put(UPDATED_AT, time(now));
        item.put(VERSION, n(1));
        return item;
    }

    /**
     * A new item for a sandbox the provider lists, parked as stale (no shard, so no allocation
     * can find it) until the repository has checked that it was never retired.
     */
    static Map<String, AttributeValue> parked(ProviderSandbox sandbox, Instant now) {
        Map<String, AttributeValue> item = available(sandbox, 0, now);
        item.remove(AVAIL_SHARD);
        item.put(STATUS, s(SandboxStatus.STALE.wire()));
        item.put(STALE_SINCE, time(now));
        // Publishing counts as its first change: an added sandbox is version 1 when it becomes available.
        item.put(VERSION, n(0));
        return item;
    }

    static Sandbox toSandbox(Map<String, AttributeValue> item) {
        String learner = string(item, LEARNER);
        return new Sandbox(
                new SandboxId(string(item, SANDBOX_ID)),
                string(item, NAME),
                string(item, EXTERNAL_ID),
                SandboxStatus.parse(string(item, STATUS))
                        .orElseThrow(() ->
                                new IllegalStateException("unknown status on sandbox " + string(item, SANDBOX_ID))),
                string(item, SFDC_ACCOUNT_ID),
                learner == null ? null : new LearnerId(learner),
                string(item, TRACK_NAME),
                string(item, IDEMPOTENCY_KEY),
                instant(item, ALLOCATED_AT),
                instant(item, EXPIRES_AT),
                instant(item, DELETION_REQUESTED_AT),
                (int) number(item, DELETION_RETRY_COUNT, 0),
                instant(item, LAST_SYNCED),
                instant(item, CREATED_AT),
                instant(item, UPDATED_AT),
                instant(item, NEXT_ATTEMPT_AT),
                instant(item, STALE_SINCE),
                string(item, DELETION_FAILURE),
                string(item, CLAIM_TOKEN),
                number(item, VERSION, 0),
                (int) number(item, EXTENSION_COUNT, 0),
                quarantine(item));
    }

    private static Quarantine quarantine(Map<String, AttributeValue> item) {
        String reason = string(item, QUARANTINE_REASON);
        if (reason == null) {
            return null;
        }
        return new Quarantine(
                reason, SandboxStatus.parse(string(item, QUARANTINED_FROM)).orElse(SandboxStatus.AVAILABLE));
    }
}
