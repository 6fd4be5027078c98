package io.sandboxbroker.jobs.store.firing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.quartz.JobKey;
import org.quartz.TriggerKey;

/**
 * What this node may hold in the table, by fire instance id: the trigger it acquired (and the version it
 * wrote then), the non-concurrency lock of the job, the fired record. Each part is noted <em>before</em> the
 * write that takes it and dropped once that write failed or the part was given back, so a write whose outcome
 * is unknown (the SDK gave up after an attempt that may have been applied) is still known here. Clean
 * shutdown and the orphan sweep release from this, never from an index.
 */
public final class Holdings {
    /** One firing's holdings. {@code live}: Quartz holds the acquired trigger or the job is running. */
    public static final class Holding {
        private final String fireId;
        private final long generation;
        private final long sinceNanos = System.nanoTime();
        private volatile TriggerKey trigger;
        private volatile String version;
        private volatile JobKey lockedJob;
        private volatile boolean firedRecord;
        private volatile boolean live;
        /** The trigger was acquired without a write (it was due): nothing of it is in the table to give back. */
        private volatile boolean reserved;
        /** The firing's advance failed: another node fired the trigger (or changed it) first. */
        private volatile boolean lostRace;

        private Holding(String fireId, long generation) {
            this.fireId = fireId;
            this.generation = generation;
        }

        /** The node's generation when the firing began; a firing of an earlier generation was recovered by others. */
        public long generation() {
            return generation;
        }

        public String fireId() {
            return fireId;
        }

        /** The trigger this firing may hold ACQUIRED, or null. */
        public TriggerKey trigger() {
            return trigger;
        }

        /** The version written when the trigger was acquired. */
        public String version() {
            return version;
        }

        public JobKey lockedJob() {
            return lockedJob;
        }

        public boolean firedRecord() {
            return firedRecord;
        }

        public boolean live() {
            return live;
        }

        void acquiring(TriggerKey key, String acquiredVersion) {
            this.trigger = key;
            this.version = acquiredVersion;
        }

        /** Acquired with no write: the firing's advance, conditional on {@code seenVersion}, will be the claim. */
        void reserving(TriggerKey key, String seenVersion) {
            acquiring(key, seenVersion);
            this.reserved = true;
        }

        /** True while the trigger is held only in this process's memory, not in the table. */
        public boolean reserved() {
            return reserved;
        }

        void lostRace() {
            this.lostRace = true;
        }

        boolean raceLost() {
            return lostRace;
        }

        void triggerGiven() {
            this.trigger = null;
        }

        void locking(JobKey job) {
            this.lockedJob = job;
        }

        void unlocked() {
            this.lockedJob = null;
        }

        void recording() {
            this.firedRecord = true;
        }

        void recordDeleted() {
            this.firedRecord = false;
        }

        void live(boolean value) {
            this.live = value;
        }

        boolean empty() {
            return trigger == null && lockedJob == null && !firedRecord;
        }

        long ageNanos() {
            return System.nanoTime() - sinceNanos;
        }

        @Override
        public String toString() {
            return fireId + "{trigger=" + trigger + ", reserved=" + reserved + ", lock=" + lockedJob + ", fired="
                    + firedRecord + ", live=" + live + "}";
        }
    }

    private final Map<String, Holding> byFireId = new ConcurrentHashMap<>();
    private final LongSupplier generation;

    /** {@code generation}: grows each time the node learns it was recovered by others while running. */
    public Holdings(LongSupplier generation) {
        this.generation = generation;
    }

    /** Notes a holding before the write that may take it. */
    Holding open(String fireId) {
        return byFireId.computeIfAbsent(fireId, id -> new Holding(id, generation.getAsLong()));
    }

    public Optional<Holding> get(String fireId) {
        return fireId == null ? Optional.empty() : Optional.ofNullable(byFireId.get(fireId));
    }

    /** Forgets a holding once nothing of it can be held any more. */
    void forgetIfEmpty(Holding holding) {
        if (holding.empty()) {
            byFireId.remove(holding.fireId(), holding);
        }
    }

    /** No firing of this process will give back what {@code fireId} still holds: the orphan sweep will. */
    public void orphan(String fireId) {
        get(fireId).ifPresent(holding -> holding.live(false));
    }

    /** The holding that reserved {@code key} without writing it, if any (release goes by key). */
    Optional<Holding> reservationOf(TriggerKey key) {
        return byFireId.values().stream()
                .filter(h -> h.reserved() && key.equals(h.trigger()))
                .findFirst();
    }

    public boolean knows(String fireId) {
        return fireId != null && byFireId.containsKey(fireId);
    }

    public List<Holding> all() {
        return List.copyOf(byFireId.values());
    }

    /** Holdings no firing in this process will give back: neither in Quartz's hands nor running, and older than {@code minAgeNanos}. */
    public List<Holding> orphans(long minAgeNanos) {
        return byFireId.values().stream()
                .filter(h -> !h.live() && h.ageNanos() >= minAgeNanos)
                .toList();
    }

    public boolean isEmpty() {
        return byFireId.isEmpty();
    }
}
