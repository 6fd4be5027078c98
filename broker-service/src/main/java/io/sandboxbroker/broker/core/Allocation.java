package io.sandboxbroker.broker.core;

/** The sandbox a learner holds; {@code created} is true only for the request that claimed it. */
public record Allocation(Sandbox sandbox, boolean created) {}
