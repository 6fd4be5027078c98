package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.n;
import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.HashMap;
import java.util.Map;
import org.quartz.JobKey;
import org.quartz.TriggerKey;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Fired-trigger records ({@code FIRED#fireInstanceId}) for executions of jobs that request recovery:
 * if the executing instance dies, a survivor finds them through the owner index and re-runs the job.
 */
public final class FiredItems {
    /** An execution in progress. */
    public record FiredRecord(
            String fireId,
            String owner,
            TriggerKey trigger,
            JobKey job,
            long firedAtMillis,
            long scheduledAtMillis,
            int priority) {}

    private final Table table;

    public FiredItems(Table table) {
        this.table = table;
    }

    public void put(FiredRecord fired) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Attr.PK, s(Keys.fired(fired.fireId())));
        item.put(Attr.FIRE_ID, s(fired.fireId()));
        item.put(Attr.OWNER, s(fired.owner()));
        item.put(Attr.TRIGGER_GROUP, s(fired.trigger().getGroup()));
        item.put(Attr.TRIGGER_NAME, s(fired.trigger().getName()));
        item.put(Attr.JOB_GROUP, s(fired.job().getGroup()));
        item.put(Attr.JOB_NAME, s(fired.job().getName()));
        item.put(Attr.FIRED_AT, n(fired.firedAtMillis()));
        item.put(Attr.SCHEDULED_AT, n(fired.scheduledAtMillis()));
        item.put(Attr.PRIORITY, n(fired.priority()));
        table.put(item);
    }

    public void delete(String fireId) {
        table.remove(Keys.fired(fireId));
    }

    public static boolean isFired(Map<String, AttributeValue> item) {
        return Table.str(item, Attr.PK).startsWith(Keys.FIRED + "#");
    }

    public static FiredRecord fromItem(Map<String, AttributeValue> item) {
        return new FiredRecord(
                Table.str(item, Attr.FIRE_ID),
                Table.str(item, Attr.OWNER),
                new TriggerKey(Table.str(item, Attr.TRIGGER_NAME), Table.str(item, Attr.TRIGGER_GROUP)),
                new JobKey(Table.str(item, Attr.JOB_NAME), Table.str(item, Attr.JOB_GROUP)),
                Table.num(item, Attr.FIRED_AT),
                Table.num(item, Attr.SCHEDULED_AT),
                Table.num(item, Attr.PRIORITY).intValue());
    }
}
