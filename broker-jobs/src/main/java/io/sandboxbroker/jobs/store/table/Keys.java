package io.sandboxbroker.jobs.store.table;

import org.quartz.JobKey;
import org.quartz.TriggerKey;

/**
 * Item keys. Group and name are escaped so that {@code #} only ever separates parts, which keeps
 * {@code begins_with(sk, "<group>#")} exact for a group.
 */
public final class Keys {
    public static final String JOB = "JOB";
    public static final String TRIGGER = "TRG";
    public static final String CALENDAR = "CAL";
    public static final String PAUSED_TRIGGER_GROUP = "PTG";
    public static final String PAUSED_JOB_GROUP = "PJG";
    public static final String NODE = "NODE";
    public static final String FIRED = "FIRED";
    /** One item: a counter bumped whenever a trigger may have become due earlier than the nodes last saw. */
    public static final String WAKE = "WAKE";

    private Keys() {}

    public static String encode(String part) {
        return part.replace("%", "%25").replace("#", "%23");
    }

    public static String sortKey(String group, String name) {
        return encode(group) + "#" + encode(name);
    }

    public static String groupPrefix(String group) {
        return encode(group) + "#";
    }

    public static String job(JobKey key) {
        return JOB + "#" + sortKey(key.getGroup(), key.getName());
    }

    /** The job a job pk names (the inverse of {@link #job}): its encoded parts hold no {@code #}. */
    public static JobKey jobKeyOf(String jobPk) {
        String[] parts = jobPk.split("#", -1);
        return new JobKey(decode(parts[2]), decode(parts[1]));
    }

    static String decode(String part) {
        return part.replace("%23", "#").replace("%25", "%");
    }

    public static String trigger(TriggerKey key) {
        return TRIGGER + "#" + sortKey(key.getGroup(), key.getName());
    }

    public static String calendar(String name) {
        return CALENDAR + "#" + encode(name);
    }

    public static String pausedTriggerGroup(String group) {
        return PAUSED_TRIGGER_GROUP + "#" + encode(group);
    }

    public static String pausedJobGroup(String group) {
        return PAUSED_JOB_GROUP + "#" + encode(group);
    }

    public static String node(String instanceId) {
        return NODE + "#" + encode(instanceId);
    }

    public static String fired(String fireInstanceId) {
        return FIRED + "#" + encode(fireInstanceId);
    }
}
