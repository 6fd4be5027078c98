/**
 * Dropwizard Metrics adapters of the core's observation ports, the {@code broker_*} naming with
 * labels, pool gauges, and the Prometheus text rendering of the registry. No JAX-RS or servlet types.
 */
package io.sandboxbroker.broker.metrics;
