package io.sandboxbroker.jobs.store.scheduling;

import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.Keys;
import io.sandboxbroker.jobs.store.table.Table;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code clearAllSchedulingData}: every job, trigger, calendar, paused group and fired record goes, whoever holds it,
 * read from the base table (a consistent scan) so that nothing an index does not show yet stays behind. Only the
 * cluster's node records stay. A firing running meanwhile finds its items gone: its completion writes nothing back.
 */
public final class Clearing {
    private final Table table;

    public Clearing(Table table) {
        this.table = table;
    }

    /** Returns how many items were deleted. */
    public int clearAll() {
        int deleted = 0;
        for (Map<String, AttributeValue> item : table.scanAll()) {
            String pk = Table.str(item, Attr.PK);
            if (!pk.startsWith(Keys.NODE + "#")) {
                table.remove(pk);
                deleted++;
            }
        }
        return deleted;
    }
}
