package io.sandboxbroker.broker.core;

/** Port: whether the storage answers right now (readiness and the storage health check). */
public interface StorageProbe {

    /** True when a cheap read of the storage succeeds within a short timeout. */
    boolean reachable();
}
