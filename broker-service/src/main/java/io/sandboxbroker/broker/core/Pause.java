package io.sandboxbroker.broker.core;

import java.time.Duration;

/**
 * Port: waits between provider calls. The cleanup throttles itself (the provider punishes bursts
 * of deletes); tests inject millisecond delays, production waits tens of seconds.
 */
@FunctionalInterface
public interface Pause {

    /** Waits {@code duration}; zero or negative returns at once. */
    void pause(Duration duration) throws InterruptedException;

    /** The process is stopping: end the run after the item in hand. */
    default boolean stopRequested() {
        return false;
    }

    /** Waits by sleeping the calling thread; an interrupt (scheduler shutdown) ends the wait early. */
    static Pause sleeping() {
        return duration -> {
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            Thread.sleep(duration.toMillis());
        };
    }
}
