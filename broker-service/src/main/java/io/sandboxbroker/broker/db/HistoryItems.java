package io.sandboxbroker.broker.db;

import static io.sandboxbroker.broker.db.Attributes.instant;
import static io.sandboxbroker.broker.db.Attributes.n;
import static io.sandboxbroker.broker.db.Attributes.number;
import static io.sandboxbroker.broker.db.Attributes.s;
import static io.sandboxbroker.broker.db.Attributes.string;
import static io.sandboxbroker.broker.db.Attributes.time;

import io.sandboxbroker.broker.core.Actor;
import io.sandboxbroker.broker.core.HistoryEntry;
import io.sandboxbroker.broker.core.HistoryKind;
import io.sandboxbroker.broker.core.RandomIds;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A sandbox's history in two places. Every change appends an entry to the sandbox item's own
 * {@value #TAIL} list in the very update that makes the change; entries are later copied to
 * event items ({@code HISTORY#<sandbox id>} / {@code <at>.<version>}, with a TTL) and only then
 * trimmed from the item. An entry's version is not stored: the last entry of the tail is the
 * item's current version, the ones before count down from it.
 */
final class HistoryItems {
    static final String TAIL = "history_tail";
    static final String PREFIX = "HISTORY#";

    private static final String ID = "id";
    private static final String AT = "at";
    private static final String KIND = "kind";
    private static final String FROM = "from";
    private static final String TO = "to";
    private static final String ACTOR = "actor";
    private static final String REF = "ref";
    private static final String LEARNER = "learner";
    private static final String DETAIL = "detail";
    private static final String VERSION = "version";

    private HistoryItems() {}

    /** A new tail entry (a one-element list, ready for {@code list_append}) for a change made now by the current actor. */
    static AttributeValue newEntry(
            HistoryKind kind, SandboxStatus from, SandboxStatus to, Instant at, String learner, String detail) {
        Actor actor = Actor.current();
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put(ID, s(RandomIds.next()));
        entry.put(AT, time(at));
        entry.put(KIND, s(kind.wire()));
        if (from != null) {
            entry.put(FROM, s(from.wire()));
        }
        entry.put(TO, s(to.wire()));
        entry.put(ACTOR, s(actor.name()));
        putIfPresent(entry, REF, actor.ref());
        putIfPresent(entry, LEARNER, learner);
        putIfPresent(entry, DETAIL, detail);
        return AttributeValue.fromL(List.of(AttributeValue.fromM(entry)));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    static Map<String, AttributeValue> key(SandboxId id, long at, long version) {
        return Map.of(PoolTable.PK, s(PREFIX + id.value()), PoolTable.SK, s(sortKey(at, version)));
    }

    /** Time first (the page order), the version breaking ties within a second. */
    static String sortKey(long at, long version) {
        return String.format("%012d.%010d", at, version);
    }

    static String sortKey(HistoryEntry entry) {
        return sortKey(entry.at().getEpochSecond(), entry.version());
    }

    /** The tail of a sandbox item, each entry with its version. */
    static List<HistoryEntry> tail(Map<String, AttributeValue> sandboxItem) {
        AttributeValue tail = sandboxItem.get(TAIL);
        if (tail == null || !tail.hasL()) {
            return List.of();
        }
        long version = number(sandboxItem, SandboxItem.VERSION, 0);
        List<AttributeValue> entries = tail.l();
        List<HistoryEntry> found = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            found.add(entry(entries.get(i).m(), version - (entries.size() - 1 - i)));
        }
        return found;
    }

    /** The id of the tail's first entry, which the trim is conditional on. */
    static String firstId(Map<String, AttributeValue> sandboxItem) {
        return sandboxItem.get(TAIL).l().get(0).m().get(ID).s();
    }

    static Map<String, AttributeValue> event(SandboxId id, HistoryEntry entry, Duration retention) {
        Map<String, AttributeValue> item = new HashMap<>(key(id, entry.at().getEpochSecond(), entry.version()));
        item.put(VERSION, n(entry.version()));
        item.put(AT, time(entry.at()));
        item.put(KIND, s(entry.kind().wire()));
        if (entry.from() != null) {
            item.put(FROM, s(entry.from().wire()));
        }
        item.put(TO, s(entry.to().wire()));
        item.put(ACTOR, s(entry.actor()));
        putIfPresent(item, REF, entry.ref());
        putIfPresent(item, LEARNER, entry.learner());
        putIfPresent(item, DETAIL, entry.detail());
        item.put(SandboxItem.TTL, time(entry.at().plus(retention)));
        return item;
    }

    static HistoryEntry fromEvent(Map<String, AttributeValue> item) {
        return entry(item, number(item, VERSION, 0));
    }

    private static HistoryEntry entry(Map<String, AttributeValue> map, long version) {
        String from = string(map, FROM);
        return new HistoryEntry(
                version,
                instant(map, AT),
                HistoryKind.parse(string(map, KIND))
                        .orElseThrow(() -> new IllegalStateException("unknown history kind " + string(map, KIND))),
                from == null ? null : SandboxStatus.parse(from).orElse(null),
                SandboxStatus.parse(string(map, TO)).orElse(null),
                string(map, ACTOR),
                string(map, REF),
                string(map, LEARNER),
                string(map, DETAIL));
    }
}
