package io.sandboxbroker.broker.core;

/** Port: how many storage calls the current thread has made so far (for cost per operation). */
@FunctionalInterface
public interface StorageCalls {
    long onThisThread();
}
