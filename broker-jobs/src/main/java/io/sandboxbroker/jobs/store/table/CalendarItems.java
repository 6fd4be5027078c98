package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.Calendar;
import org.quartz.JobPersistenceException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Calendar items ({@code CAL#name}): the serialized Quartz calendar. */
public final class CalendarItems {
    private final Table table;
    private final Blobs blobs;

    public CalendarItems(Table table, Blobs blobs) {
        this.table = table;
        this.blobs = blobs;
    }

    /** Stores; false when it exists and {@code replace} is false. */
    public boolean store(String name, Calendar calendar, boolean replace) throws JobPersistenceException {
        Map<String, AttributeValue> item = Map.of(
                Attr.PK,
                s(Keys.calendar(name)),
                Attr.TYPE,
                s(Keys.CALENDAR),
                Attr.SK,
                s(name),
                Attr.NAME,
                s(name),
                Attr.VERSION,
                s(Table.newVersion()),
                Attr.BLOB,
                AttributeValue.fromB(blobs.write(calendar)));
        if (replace) {
            table.put(item);
            return true;
        }
        return table.putIfVersion(item, null);
    }

    public Optional<Calendar> get(String name) throws JobPersistenceException {
        Optional<Map<String, AttributeValue>> item = table.get(Keys.calendar(name));
        return item.isEmpty()
                ? Optional.empty()
                : Optional.of(blobs.read(item.get().get(Attr.BLOB).b(), Calendar.class));
    }

    public boolean exists(String name) {
        return table.get(Keys.calendar(name)).isPresent();
    }

    public boolean delete(String name) {
        return table.delete(Keys.calendar(name)).isPresent();
    }

    public List<String> names() {
        return table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.CALENDAR, null, null).stream()
                .map(item -> Table.str(item, Attr.NAME))
                .sorted()
                .toList();
    }

    public int count() {
        return table.countIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.CALENDAR);
    }
}
