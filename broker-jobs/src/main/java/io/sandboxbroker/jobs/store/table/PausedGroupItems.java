package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Paused group markers ({@code PTG#group} for trigger groups, {@code PJG#group} for job groups). A marker
 * outlives the group's members, so jobs and triggers added later to a paused group start paused.
 */
public final class PausedGroupItems {
    /** Marker meaning "every trigger group", set by pauseAll, as in the JDBC store. */
    public static final String ALL_GROUPS = "_$_ALL_GROUPS_PAUSED_$_";

    private final Table table;

    public PausedGroupItems(Table table) {
        this.table = table;
    }

    public void pauseTriggerGroup(String group) {
        table.put(Map.of(
                Attr.PK,
                s(Keys.pausedTriggerGroup(group)),
                Attr.TYPE,
                s(Keys.PAUSED_TRIGGER_GROUP),
                Attr.SK,
                s(group),
                Attr.GROUP,
                s(group)));
    }

    public void pauseJobGroup(String group) {
        table.put(Map.of(
                Attr.PK,
                s(Keys.pausedJobGroup(group)),
                Attr.TYPE,
                s(Keys.PAUSED_JOB_GROUP),
                Attr.SK,
                s(group),
                Attr.GROUP,
                s(group)));
    }

    public void resumeTriggerGroup(String group) {
        table.remove(Keys.pausedTriggerGroup(group));
    }

    public void resumeJobGroup(String group) {
        table.remove(Keys.pausedJobGroup(group));
    }

    public boolean triggerGroupPaused(String group) {
        return table.get(Keys.pausedTriggerGroup(group)).isPresent();
    }

    public boolean jobGroupPaused(String group) {
        return table.get(Keys.pausedJobGroup(group)).isPresent();
    }

    public Set<String> pausedTriggerGroups() {
        return groups(Keys.PAUSED_TRIGGER_GROUP);
    }

    public Set<String> pausedJobGroups() {
        return groups(Keys.PAUSED_JOB_GROUP);
    }

    private Set<String> groups(String type) {
        Set<String> groups = new LinkedHashSet<>();
        table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, type, null, null)
                .forEach(item -> groups.add(Table.str(item, Attr.GROUP)));
        return groups;
    }
}
