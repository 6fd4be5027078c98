package io.sandboxbroker.jobs.store.table;

/** Attribute names of the Quartz table, shared by every item type. */
public final class Attr {
    /** Base table partition key: {@code <TYPE>#<encoded key>}. */
    public static final String PK = "pk";
    /** Item type (JOB, TRG, CAL, PTG, PJG, NODE); partition key of the {@code byType} index. */
    public static final String TYPE = "itemType";
    /** Sort key of the {@code byType} index: {@code <enc group>#<enc name>} or the plain name. */
    public static final String SK = "sk";
    /** A fresh random token on every write; conditions compare it, so a re-created item never matches (no ABA). */
    public static final String VERSION = "ver";

    public static final String GROUP = "grp";
    public static final String NAME = "itemName";
    /** Java-serialized Quartz object (trigger, calendar) or JobDataMap. */
    public static final String BLOB = "qobj";

    public static final String STATE = "st";
    /** Next fire time in epoch millis; sort key of the {@code due} index. */
    public static final String NEXT_FIRE = "nft";

    public static final String PRIORITY = "prio";
    /** {@code WAITING#<shard>}, present only while a trigger waits; partition key of the {@code due} index. */
    public static final String DUE_SHARD = "dueShard";
    /** The trigger's job as a job pk; partition key of the {@code byJob} index. */
    public static final String JOB_KEY = "jobKey";
    /** Instance that holds the item (acquired trigger, locked job, fired record); partition key of {@code byOwner}. */
    public static final String OWNER = "heldBy";
    /** Fire instance id of the acquisition or execution that holds the item. */
    public static final String FIRE_ID = "fid";

    public static final String CALENDAR = "cal";
    /** On a trigger: the fire instance id of the firing that last advanced it. */
    public static final String FIRED_BY = "firedBy";
    /** The job disallows concurrent execution (copied onto triggers so acquisition can batch correctly). */
    public static final String NON_CONCURRENT = "nc";

    public static final String DESCRIPTION = "jobDesc";
    public static final String JOB_CLASS = "cls";
    public static final String DURABLE = "isDurable";
    public static final String RECOVERY = "wantsRecovery";
    /** On a job: the fire instance id currently running a non-concurrent job. */
    public static final String RUNNING = "runBy";

    public static final String LAST_CHECKIN = "lastCheckin";
    public static final String INTERVAL = "intervalMs";
    public static final String FAILURE_MULTIPLE = "failureMultiple";
    public static final String RECOVERER = "recoverer";
    /** On a node: a fresh token at every check-in; others watch it change on their own monotonic clocks. */
    public static final String BEAT = "beat";
    /** On a node: a token written with each recovery claim; a claim left unchanged too long may be taken over. */
    public static final String CLAIM = "claim";
    /**
     * On a job: the pks of its triggers (a string set), so a job's triggers are found without an index. A superset:
     * a finished trigger of a durable job is not taken off (one write less per firing), so every reader verifies each
     * listed trigger on the base table.
     */
    public static final String TRIGGERS = "trigs";
    /** On a job: how long {@code trigs} may grow before it is pruned of triggers that left (see JobItems). */
    public static final String TRIGGER_CAP = "trigsCap";

    public static final String FIRED_AT = "firedAt";
    public static final String SCHEDULED_AT = "scheduledAt";
    public static final String TRIGGER_GROUP = "tGrp";
    public static final String TRIGGER_NAME = "tName";
    public static final String JOB_GROUP = "jGrp";
    public static final String JOB_NAME = "jName";
    /** The wake counter's value on the {@code WAKE} item. */
    public static final String WAKE = "wake";

    private Attr() {}
}
