/** Dropwizard Metrics adapters of the core's observation ports. */
package io.sandboxbroker.broker.metrics;
