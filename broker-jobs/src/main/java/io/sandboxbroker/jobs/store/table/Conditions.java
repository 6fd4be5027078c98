package io.sandboxbroker.jobs.store.table;

/** Condition expressions, each with its meaning. */
public final class Conditions {
    /** Create only: no item with this key exists. */
    public static final String ABSENT = "attribute_not_exists(" + Attr.PK + ")";
    /** Update only: the item exists (an update must not resurrect a deleted item). */
    public static final String PRESENT = "attribute_exists(" + Attr.PK + ")";
    /** The item is exactly the version the caller read (":v"); any write in between fails it. */
    public static final String VERSION_IS = Attr.VERSION + " = :v";
    /** A non-concurrent job is free: nobody runs it. */
    public static final String JOB_NOT_RUNNING =
            "attribute_exists(" + Attr.PK + ") AND attribute_not_exists(" + Attr.RUNNING + ")";
    /** The non-concurrent job is run by this firing (":f"). */
    public static final String JOB_RUN_BY = Attr.RUNNING + " = :f";
    /** The job lock is held by the instance ":o" (recovery of a dead instance). */
    public static final String JOB_OWNED_BY = Attr.OWNER + " = :o";
    /** The survivor (":r") still holds the recovery claim on the node item. */
    public static final String NODE_RECOVERED_BY = Attr.RECOVERER + " = :r";

    private Conditions() {}
}
