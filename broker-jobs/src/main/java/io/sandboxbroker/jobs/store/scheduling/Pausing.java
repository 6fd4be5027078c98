package io.sandboxbroker.jobs.store.scheduling;

import io.sandboxbroker.jobs.store.firing.Blocking;
import io.sandboxbroker.jobs.store.firing.Misfires;
import io.sandboxbroker.jobs.store.table.JobItems;
import io.sandboxbroker.jobs.store.table.JobItems.StoredJob;
import io.sandboxbroker.jobs.store.table.PausedGroupItems;
import io.sandboxbroker.jobs.store.table.StoredTrigger;
import io.sandboxbroker.jobs.store.table.TriggerItems;
import io.sandboxbroker.jobs.store.table.TriggerItems.Member;
import io.sandboxbroker.jobs.store.table.TriggerStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.impl.matchers.StringMatcher.StringOperatorName;

/**
 * Pause and resume. Where RAMJobStore and JobStoreSupport differ, this follows JobStoreSupport (a paused trigger in
 * ERROR stays in ERROR, {@code pauseAll} also pauses groups created later, {@code resumeAll} resumes the groups that
 * have triggers, {@code resumeTriggers} resumes triggers whatever their job group), with two exceptions: a paused job
 * group is remembered, so that jobs added to it later start paused, as the {@code JobStore} interface asks and
 * RAMJobStore does (JobStoreSupport forgets it); and the marker of {@code pauseAll} is not listed as a paused group.
 *
 * <p>A paused group is a marker item. The members of a group are read from the base table (a consistent scan), not
 * from an index that may not show a trigger stored a moment ago; and whoever stores a trigger reads the markers again
 * once it exists ({@link #settle}). So either the pauser's scan finds the new trigger, or the storer sees the marker.
 */
public final class Pausing {
    private final TriggerItems triggers;
    private final JobItems jobs;
    private final PausedGroupItems paused;
    private final Misfires misfires;
    private final Blocking blocking;

    public Pausing(
            TriggerItems triggers, JobItems jobs, PausedGroupItems paused, Misfires misfires, Blocking blocking) {
        this.triggers = triggers;
        this.jobs = jobs;
        this.paused = paused;
        this.misfires = misfires;
        this.blocking = blocking;
    }

    /**
     * Whether a trigger about to be stored starts paused: its trigger group or its job group is paused, or every group
     * is (then its group is noted paused too, as JobStoreSupport does).
     */
    boolean startsPaused(Trigger trigger) {
        PausedGroupItems.Markers markers = paused.markersFor(
                trigger.getKey().getGroup(), trigger.getJobKey().getGroup());
        if (markers.allGroups() && !markers.triggerGroup()) {
            paused.pauseTriggerGroup(trigger.getKey().getGroup());
        }
        return markers.any();
    }

    /**
     * Called once a trigger stored as {@code stored} exists: a group paused or resumed meanwhile may have read its
     * members before. A pause is applied whatever changed the trigger since (pausing twice is harmless); a resume only
     * if nothing did, so a trigger someone paused on its own stays paused.
     */
    void settle(StoredTrigger stored) throws JobPersistenceException {
        Trigger trigger = stored.trigger();
        boolean pausedNow = paused.markersFor(
                        trigger.getKey().getGroup(), trigger.getJobKey().getGroup())
                .any();
        if (pausedNow && !stored.state().paused()) {
            pauseTrigger(trigger.getKey());
        } else if (!pausedNow && stored.state().paused()) {
            TriggerStatus resumed =
                    stored.state() == TriggerStatus.PAUSED_BLOCKED ? TriggerStatus.BLOCKED : TriggerStatus.WAITING;
            triggers.replace(stored.next(resumed), stored.version());
        }
    }

    /** As JobStoreSupport: waiting or acquired → PAUSED, blocked → PAUSED_BLOCKED; complete and error stay. */
    public void pauseTrigger(TriggerKey key) throws JobPersistenceException {
        triggers.mutate(key, current -> switch (current.state()) {
            case WAITING, ACQUIRED -> current.next(TriggerStatus.PAUSED);
            case BLOCKED -> current.next(TriggerStatus.PAUSED_BLOCKED);
            default -> null;
        });
    }

    /**
     * Pauses the groups the matcher selects: the group it names (also one without triggers yet), or every group with a
     * trigger that matches. The groups are remembered first, then their members are paused, so a trigger stored
     * meanwhile is paused by one side or the other.
     */
    public Set<String> pauseTriggers(GroupMatcher<TriggerKey> matcher) throws JobPersistenceException {
        Set<String> groups = new LinkedHashSet<>();
        if (matcher.getCompareWithOperator() == StringOperatorName.EQUALS) {
            groups.add(matcher.getCompareToValue());
        } else {
            triggers.scanMembers().stream()
                    .map(Member::key)
                    .filter(matcher::isMatch)
                    .forEach(key -> groups.add(key.getGroup()));
        }
        for (String group : groups) {
            paused.pauseTriggerGroup(group);
        }
        pauseMembers(member -> groups.contains(member.key().getGroup()));
        return groups;
    }

    public void pauseJob(JobKey job) throws JobPersistenceException {
        for (StoredTrigger trigger : triggers.forJob(job)) {
            pauseTrigger(trigger.trigger().getKey());
        }
    }

    /** Pauses the job groups the matcher selects and remembers them, so triggers of jobs added later start paused. */
    public Set<String> pauseJobs(GroupMatcher<JobKey> matcher) throws JobPersistenceException {
        Set<String> groups = new LinkedHashSet<>();
        if (matcher.getCompareWithOperator() == StringOperatorName.EQUALS) {
            groups.add(matcher.getCompareToValue());
        } else {
            jobs.scanKeys(matcher).forEach(job -> groups.add(job.getGroup()));
        }
        for (String group : groups) {
            paused.pauseJobGroup(group);
        }
        pauseMembers(member -> groups.contains(member.job().getGroup()));
        return groups;
    }

    /**
     * Pauses the triggers a consistent scan finds in the groups just marked paused, including those stored while the
     * groups were being chosen.
     */
    private void pauseMembers(Predicate<Member> inPausedGroup) throws JobPersistenceException {
        for (Member member : triggers.scanMembers()) {
            if (inPausedGroup.test(member)) {
                pauseTrigger(member.key());
            }
        }
    }

    /**
     * Resumes a paused trigger: BLOCKED while its non-concurrent job runs, else WAITING, with its misfire instruction
     * applied (and listeners told) if it missed its time while paused.
     */
    public void resumeTrigger(TriggerKey key) throws JobPersistenceException {
        List<StoredTrigger> misfired = new ArrayList<>();
        Optional<StoredTrigger> resumed = triggers.mutate(key, current -> {
            misfired.clear();
            if (current.state() == TriggerStatus.PAUSED_BLOCKED) {
                return current.next(TriggerStatus.BLOCKED);
            }
            if (current.state() != TriggerStatus.PAUSED) {
                return null;
            }
            boolean running = jobs.get(current.trigger().getJobKey())
                    .map(StoredJob::running)
                    .orElse(false);
            StoredTrigger next = current.next(running ? TriggerStatus.BLOCKED : TriggerStatus.WAITING);
            if (misfires.misfired(next.trigger())) {
                misfired.add(current);
                return misfires.updated(next);
            }
            return next;
        });
        if (resumed.isPresent() && !misfired.isEmpty()) {
            misfires.notify(misfired.get(0).trigger(), resumed.get());
        }
        if (resumed.isPresent() && resumed.get().state().blocked()) {
            blocking.settle(resumed.get().trigger().getJobKey(), key);
        }
    }

    /**
     * Forgets the paused groups the matcher selects, then resumes every matching trigger (as JobStoreSupport, also one
     * whose job group is paused); returns the groups of the matching triggers.
     */
    public Set<String> resumeTriggers(GroupMatcher<TriggerKey> matcher) throws JobPersistenceException {
        if (matcher.getCompareWithOperator() == StringOperatorName.EQUALS) {
            paused.resumeTriggerGroup(matcher.getCompareToValue());
        } else {
            for (String group : paused.scanPausedTriggerGroups()) {
                if (matches(matcher, group)) {
                    paused.resumeTriggerGroup(group);
                }
            }
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Member member : triggers.scanMembers()) {
            if (matcher.isMatch(member.key())) {
                resumeTrigger(member.key());
                groups.add(member.key().getGroup());
            }
        }
        return groups;
    }

    public void resumeJob(JobKey job) throws JobPersistenceException {
        for (StoredTrigger trigger : triggers.forJob(job)) {
            resumeTrigger(trigger.trigger().getKey());
        }
    }

    /** Forgets the paused job groups the matcher selects and resumes the triggers of their jobs. */
    public Set<String> resumeJobs(GroupMatcher<JobKey> matcher) throws JobPersistenceException {
        Set<String> groups = new LinkedHashSet<>();
        for (String group : paused.scanPausedJobGroups()) {
            if (matches(matcher, group)) {
                paused.resumeJobGroup(group);
                groups.add(group);
            }
        }
        for (Member member : triggers.scanMembers()) {
            if (matcher.isMatch(member.job())) {
                resumeTrigger(member.key());
                groups.add(member.job().getGroup());
            }
        }
        return groups;
    }

    /** As JobStoreSupport: every group with triggers is paused, and so is every group a trigger is stored into later. */
    public void pauseAll() throws JobPersistenceException {
        paused.pauseTriggerGroup(PausedGroupItems.ALL_GROUPS);
        pauseTriggers(GroupMatcher.anyTriggerGroup());
    }

    /**
     * As JobStoreSupport: every group with triggers is resumed and later groups no longer start paused (a group paused
     * on its own that has no triggers stays paused); paused job groups are forgotten, as RAMJobStore does.
     */
    public void resumeAll() throws JobPersistenceException {
        for (String group : paused.scanPausedJobGroups()) {
            paused.resumeJobGroup(group);
        }
        // first, so that a trigger stored meanwhile into a new group does not start paused after all
        paused.resumeTriggerGroup(PausedGroupItems.ALL_GROUPS);
        Set<String> groups = new LinkedHashSet<>();
        List<Member> members = triggers.scanMembers();
        members.forEach(member -> groups.add(member.key().getGroup()));
        for (String group : groups) {
            paused.resumeTriggerGroup(group);
        }
        for (Member member : members) {
            resumeTrigger(member.key());
        }
    }

    /** The paused trigger groups, for people (from the index); the marker of {@link #pauseAll} is not a group. */
    public Set<String> pausedTriggerGroups() {
        Set<String> groups = new LinkedHashSet<>(paused.pausedTriggerGroups());
        groups.remove(PausedGroupItems.ALL_GROUPS);
        return groups;
    }

    /** An ERROR trigger goes back to WAITING, or to PAUSED if its group is paused, as in Quartz's stores. */
    public void resetFromError(TriggerKey key) throws JobPersistenceException {
        triggers.mutate(key, current -> {
            if (current.state() != TriggerStatus.ERROR) {
                return null;
            }
            boolean groupPaused = paused.triggerGroupPaused(key.getGroup());
            return current.next(groupPaused ? TriggerStatus.PAUSED : TriggerStatus.WAITING);
        });
    }

    private static boolean matches(GroupMatcher<?> matcher, String group) {
        return matcher.getCompareWithOperator().evaluate(group, matcher.getCompareToValue());
    }
}
