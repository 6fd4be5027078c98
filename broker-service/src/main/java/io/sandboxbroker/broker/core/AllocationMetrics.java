package io.sandboxbroker.broker.core;

import java.time.Duration;

/** Port: what the allocation path reports for operators. */
public interface AllocationMetrics {

    enum Outcome {
        CREATED,
        REPLAYED,
        POOL_EMPTY,
        KEY_CONFLICT,
        FORBIDDEN,
        FAILED
    }

    void allocation(Outcome outcome, Duration latency, long storageCalls);

    /** The same allocation, counted under the configured name of the lab token that asked. */
    void allocationBy(String tokenName, Outcome outcome);

    /** A candidate was taken by someone else before our conditional write. */
    void conflict();

    void markedForDeletion();

    /** Does nothing; for tools and tests that do not observe. */
    AllocationMetrics NONE = new AllocationMetrics() {
        @Override
        public void allocation(Outcome outcome, Duration latency, long storageCalls) {}

        @Override
        public void allocationBy(String tokenName, Outcome outcome) {}

        @Override
        public void conflict() {}

        @Override
        public void markedForDeletion() {}
    };
}
