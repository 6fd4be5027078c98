package io.sandboxbroker.testkit.dynamo;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One fault rule of a {@link FaultProxy}: what to do, to which requests (operation, table, index), how often
 * (probability, bursts, an optional cap). Immutable; the {@code with…}-style methods return a copy.
 *
 * <pre>{@code
 * Fault.appliedThen500().probability(0.2)                      // 20% of writes applied, then answered 500
 * Fault.appliedThenStall(Duration.ofSeconds(3)).on("UpdateItem").table("quartz").probability(0.05)
 * Fault.indexLag(Duration.ofMillis(200), Duration.ofSeconds(3)) // every index Query/Scan sees the past
 * Fault.throttling().probability(0.01).burst(5)                 // ThrottlingException, 5 requests in a row
 * Fault.latency(Duration.ZERO, Duration.ofMillis(30)).times(100)
 * }</pre>
 */
public final class Fault {
    /** What the proxy does to a matching request. */
    public enum Kind {
        /** Forwards the write, lets dynalite apply it, then answers 500 InternalServerError. */
        APPLIED_THEN_500,
        /** Forwards the write, lets dynalite apply it, then closes the connection without an answer. */
        APPLIED_THEN_RESET,
        /** Forwards the write, lets dynalite apply it, then holds the connection open (past an attempt timeout). */
        APPLIED_THEN_STALL,
        /** Answers 400 ProvisionedThroughputExceededException without forwarding. */
        PROVISIONED_THROUGHPUT_EXCEEDED,
        /** Answers 400 ThrottlingException without forwarding. */
        THROTTLING,
        /** Waits a jittered time before forwarding. */
        LATENCY,
        /** Answers a Query or Scan that names an index from a copy of the table that lags by a jittered time. */
        INDEX_LAG
    }

    static final Set<String> WRITES =
            Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");
    private static final Set<String> INDEX_READS = Set.of("Query", "Scan");

    private final Kind kind;
    private final Set<String> operations;
    private final Optional<String> table;
    private final Optional<String> index;
    private final double probability;
    private final int burst;
    private final long times;
    private final Duration min;
    private final Duration max;
    private final Optional<String> name;

    private Fault(
            Kind kind,
            Set<String> operations,
            Optional<String> table,
            Optional<String> index,
            double probability,
            int burst,
            long times,
            Duration min,
            Duration max,
            Optional<String> name) {
        this.kind = kind;
        this.operations = Set.copyOf(operations);
        this.table = table;
        this.index = index;
        this.probability = probability;
        this.burst = burst;
        this.times = times;
        this.min = min;
        this.max = max;
        this.name = name;
    }

    private static Fault of(Kind kind, Set<String> operations, Duration min, Duration max) {
        return new Fault(
                kind,
                operations,
                Optional.empty(),
                Optional.empty(),
                1.0,
                1,
                Long.MAX_VALUE,
                min,
                max,
                Optional.empty());
    }

    /** Writes (Put/Update/Delete/BatchWrite/TransactWrite) applied, then answered 500 so the SDK retries. */
    public static Fault appliedThen500() {
        return of(Kind.APPLIED_THEN_500, WRITES, Duration.ZERO, Duration.ZERO);
    }

    /** Writes applied, then the connection closed without an answer (the SDK sees an I/O error and retries). */
    public static Fault appliedThenReset() {
        return of(Kind.APPLIED_THEN_RESET, WRITES, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Writes applied, then no answer for {@code stall}, then the connection closed. Give the client an attempt
     * timeout shorter than {@code stall} so it gives up on the attempt and retries.
     */
    public static Fault appliedThenStall(Duration stall) {
        return of(Kind.APPLIED_THEN_STALL, WRITES, stall, stall);
    }

    /** Any operation answered 400 ProvisionedThroughputExceededException, not forwarded. */
    public static Fault provisionedThroughputExceeded() {
        return of(Kind.PROVISIONED_THROUGHPUT_EXCEEDED, Set.of(), Duration.ZERO, Duration.ZERO);
    }

    /** Any operation answered 400 ThrottlingException, not forwarded. */
    public static Fault throttling() {
        return of(Kind.THROTTLING, Set.of(), Duration.ZERO, Duration.ZERO);
    }

    /** Any operation delayed by a uniformly drawn time in [min, max] before it is forwarded. */
    public static Fault latency(Duration min, Duration max) {
        return of(Kind.LATENCY, Set.of(), min, max);
    }

    /**
     * Query and Scan naming an index see every item as it was a uniformly drawn [min, max] ago, drawn per write
     * of the item (and never reordered for one item), including items that have since left the index.
     */
    public static Fault indexLag(Duration min, Duration max) {
        return of(Kind.INDEX_LAG, INDEX_READS, min, max);
    }

    /** Only these operations (e.g. {@code "UpdateItem"}); for index lag only Query and Scan make sense. */
    public Fault on(String... operations) {
        return new Fault(
                kind,
                new LinkedHashSet<>(Arrays.asList(operations)),
                table,
                index,
                probability,
                burst,
                times,
                min,
                max,
                name);
    }

    /** Only requests on this table (for BatchWriteItem: any of its tables). */
    public Fault table(String tableName) {
        return new Fault(kind, operations, Optional.of(tableName), index, probability, burst, times, min, max, name);
    }

    /** Only requests naming this index. */
    public Fault index(String indexName) {
        return new Fault(kind, operations, table, Optional.of(indexName), probability, burst, times, min, max, name);
    }

    /** The chance that a matching request starts an injection (default 1). */
    public Fault probability(double chance) {
        if (chance < 0 || chance > 1) {
            throw new IllegalArgumentException("probability must be in [0, 1]: " + chance);
        }
        return new Fault(kind, operations, table, index, chance, burst, times, min, max, name);
    }

    /** An injection hits this many consecutive matching requests (default 1): throttling comes in bursts. */
    public Fault burst(int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + requests);
        }
        return new Fault(kind, operations, table, index, probability, requests, times, min, max, name);
    }

    /** At most this many injections in all, then the rule stays quiet. */
    public Fault times(long injections) {
        return new Fault(kind, operations, table, index, probability, burst, injections, min, max, name);
    }

    /** The name in {@link FaultProxy#counts()} and for {@link FaultProxy#enable(String)}; a default says what it is. */
    public Fault named(String label) {
        return new Fault(
                kind,
                operations,
                table,
                index,
                probability,
                burst,
                times,
                min,
                max,
                Optional.of(Objects.requireNonNull(label)));
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name.orElseGet(this::describe);
    }

    double probability() {
        return probability;
    }

    int burst() {
        return burst;
    }

    long times() {
        return times;
    }

    Duration min() {
        return min;
    }

    Duration max() {
        return max;
    }

    boolean appliesFirst() {
        return kind == Kind.APPLIED_THEN_500 || kind == Kind.APPLIED_THEN_RESET || kind == Kind.APPLIED_THEN_STALL;
    }

    boolean matches(String operation, Set<String> tables, Optional<String> indexName) {
        if (!operations.isEmpty() && !operations.contains(operation)) {
            return false;
        }
        if (table.isPresent() && !tables.contains(table.get())) {
            return false;
        }
        if (kind == Kind.INDEX_LAG && indexName.isEmpty()) {
            return false;
        }
        return index.isEmpty() || index.equals(indexName);
    }

    private String describe() {
        StringBuilder label = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT));
        if (!operations.isEmpty() && !operations.equals(WRITES) && !operations.equals(INDEX_READS)) {
            label.append(operations.stream().sorted().toList());
        }
        table.ifPresent(t -> label.append('@').append(t));
        index.ifPresent(i -> label.append('/').append(i));
        return label.toString();
    }

    @Override
    public String toString() {
        return name() + "(p=" + probability + ", burst=" + burst + (times == Long.MAX_VALUE ? "" : ", times=" + times)
                + (min.isZero() && max.isZero() ? "" : ", " + min.toMillis() + ".." + max.toMillis() + "ms") + ")";
    }
}
