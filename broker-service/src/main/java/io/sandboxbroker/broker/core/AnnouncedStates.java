package io.sandboxbroker.broker.core;

import java.util.Map;
import java.util.Optional;

/**
 * Port: what was last announced — the state of each pool, and how many retired tenants the
 * provider still listed — with a version that grows with every change; a change is written only
 * over the version it was computed from.
 */
public interface AnnouncedStates {

    record Snapshot(long version, Map<String, PoolState> states, long retiredStillListed) {
        public Snapshot {
            states = Map.copyOf(states);
        }
    }

    Optional<Snapshot> read();

    /** Stores the new states as version {@code expected + 1} if {@code expected} is still current. */
    boolean write(long expected, Map<String, PoolState> states, long retiredStillListed);
}
