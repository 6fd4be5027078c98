/**
 * Guice modules, one per area, installed by {@link io.sandboxbroker.broker.inject.BrokerModules}: the only place
 * that names implementations of the core's ports.
 */
package io.sandboxbroker.broker.inject;
