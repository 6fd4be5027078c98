package io.sandboxbroker.broker.core;

import java.util.Map;
import java.util.Optional;

/**
 * Port: the pool states last announced (per pool), with a version that grows with every change;
 * a change is written only over the version it was computed from.
 */
public interface AnnouncedStates {

    record Snapshot(long version, Map<String, PoolState> states) {
        public Snapshot {
            states = Map.copyOf(states);
        }
    }

    Optional<Snapshot> read();

    /** Stores {@code states} as version {@code expected + 1} if {@code expected} is still current. */
    boolean write(long expected, Map<String, PoolState> states);
}
