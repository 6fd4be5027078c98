package io.sandboxbroker.jobs.store.table;

import org.quartz.spi.ClassLoadHelper;

/** Every item type of one Quartz table, built together over one {@link Table}. */
public record QuartzItems(
        Table table,
        JobItems jobs,
        TriggerItems triggers,
        CalendarItems calendars,
        PausedGroupItems pausedGroups,
        NodeItems nodes,
        FiredItems fired) {

    public static QuartzItems over(Table table, ClassLoadHelper classes, int shards) {
        Blobs blobs = new Blobs(classes.getClassLoader());
        return new QuartzItems(
                table,
                new JobItems(table, blobs, classes),
                new TriggerItems(table, blobs, shards),
                new CalendarItems(table, blobs),
                new PausedGroupItems(table),
                new NodeItems(table),
                new FiredItems(table));
    }
}
