package io.sandboxbroker.broker.core;

/**
 * Port: whether this run still holds the right to act. A run that lost it (another node judged
 * this one dead and took the job over) must stop before its next external call, so the provider
 * never sees two clean-ups of one sandbox at once (docs/architecture.md#jobs-and-schedules).
 */
@FunctionalInterface
public interface Fence {

    /** Holds always: a run nothing else can take over (tests, tools). */
    Fence ALWAYS = () -> true;

    boolean holds();
}
