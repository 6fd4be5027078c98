package io.sandboxbroker.jobs.store.table;

import static io.sandboxbroker.jobs.store.table.Table.s;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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

    /** Which markers pause a trigger: its trigger group's, its job group's, the one for every group. */
    public record Markers(boolean triggerGroup, boolean jobGroup, boolean allGroups) {
        public boolean any() {
            return triggerGroup || jobGroup || allGroups;
        }
    }

    /** The markers that pause a trigger of {@code triggerGroup} whose job is in {@code jobGroup}: one consistent read. */
    public Markers markersFor(String triggerGroup, String jobGroup) {
        String trigger = Keys.pausedTriggerGroup(triggerGroup);
        String job = Keys.pausedJobGroup(jobGroup);
        String all = Keys.pausedTriggerGroup(ALL_GROUPS);
        Set<String> present = new HashSet<>();
        table.getAll(List.of(trigger, job, all)).forEach(item -> present.add(Table.str(item, Attr.PK)));
        return new Markers(present.contains(trigger), present.contains(job), present.contains(all));
    }

    /** Paused trigger groups as the index shows them, for people; the index may lag. */
    public Set<String> pausedTriggerGroups() {
        Set<String> groups = new LinkedHashSet<>();
        table.queryIndex(QuartzTable.TYPE_INDEX, Attr.TYPE, Keys.PAUSED_TRIGGER_GROUP, null, null)
                .forEach(item -> groups.add(Table.str(item, Attr.GROUP)));
        return groups;
    }

    /** Paused trigger groups (with {@link #ALL_GROUPS}) from the base table, for decisions: a consistent scan. */
    public Set<String> scanPausedTriggerGroups() {
        return scanGroups(Keys.PAUSED_TRIGGER_GROUP);
    }

    /** Paused job groups from the base table, for decisions: a consistent scan. */
    public Set<String> scanPausedJobGroups() {
        return scanGroups(Keys.PAUSED_JOB_GROUP);
    }

    private Set<String> scanGroups(String type) {
        Set<String> groups = new LinkedHashSet<>();
        table.scan(type + "#").forEach(item -> groups.add(Table.str(item, Attr.GROUP)));
        return groups;
    }
}
