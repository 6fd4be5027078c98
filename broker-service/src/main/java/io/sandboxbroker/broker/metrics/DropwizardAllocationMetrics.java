package io.sandboxbroker.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.sandboxbroker.broker.core.AllocationMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Allocation outcomes ({@code broker_allocations{outcome=…}}, and per lab token
 * {@code broker_allocations_by_token{token=…,outcome=…}}), latency (a Prometheus histogram by
 * outcome), conflicts, deletions marked and DynamoDB calls per allocation, under
 * Prometheus-friendly {@code broker_*} names.
 */
public final class DropwizardAllocationMetrics implements AllocationMetrics {
    public static final String CALLS_PER_ALLOCATION = "broker_allocation_dynamodb_calls";
    public static final String LATENCY = "broker_allocation_latency_seconds";

    public static final String BY_TOKEN = "broker_allocations_by_token";
    /** DynamoDB calls summed per outcome: with the outcome counters, the exact average cost of each kind. */
    public static final String CALLS_BY_OUTCOME = "broker_allocation_dynamodb_calls_total";

    private final MetricRegistry registry;
    private final Map<Outcome, com.codahale.metrics.Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Map<Outcome, com.codahale.metrics.Counter> callsByOutcome = new EnumMap<>(Outcome.class);
    private final Histogram callsPerAllocation;
    private final Histogram callsPerNewAllocation;
    private final io.prometheus.client.Histogram latency;
    private final com.codahale.metrics.Counter conflicts;
    private final com.codahale.metrics.Counter marked;

    public DropwizardAllocationMetrics(MetricRegistry registry, CollectorRegistry collectors) {
        this.registry = registry;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(
                    outcome,
                    registry.counter(MetricNames.labelled(
                            "broker_allocations", "outcome", outcome.name().toLowerCase(Locale.ROOT))));
            callsByOutcome.put(
                    outcome,
                    registry.counter(MetricNames.labelled(
                            CALLS_BY_OUTCOME, "outcome", outcome.name().toLowerCase(Locale.ROOT))));
        }
        callsPerAllocation = registry.histogram(CALLS_PER_ALLOCATION);
        callsPerNewAllocation = registry.histogram(CALLS_PER_ALLOCATION + "_created");
        latency = io.prometheus.client.Histogram.build(LATENCY, "Time to answer an allocation, by outcome")
                .labelNames("outcome")
                .buckets(Buckets.LATENCY)
                .register(collectors);
        conflicts = registry.counter("broker_allocation_conflicts");
        marked = registry.counter("broker_deletions_marked");
    }

    @Override
    public void allocation(Outcome outcome, Duration took, long storageCalls) {
        outcomes.get(outcome).inc();
        callsByOutcome.get(outcome).inc(storageCalls);
        callsPerAllocation.update(storageCalls);
        if (outcome == Outcome.CREATED) {
            callsPerNewAllocation.update(storageCalls);
        }
        latency.labels(outcome.name().toLowerCase(Locale.ROOT)).observe(took.toNanos() / 1e9);
    }

    /** Token names come from the configuration, so the series stay few. */
    @Override
    public void allocationBy(String tokenName, Outcome outcome) {
        registry.counter(MetricNames.labelled(
                        BY_TOKEN, "token", tokenName, "outcome", outcome.name().toLowerCase(Locale.ROOT)))
                .inc();
    }

    @Override
    public void conflict() {
        conflicts.inc();
    }

    @Override
    public void markedForDeletion() {
        marked.inc();
    }
}
