/** Guice modules: the only place that names implementations of the core's ports. */
package io.sandboxbroker.broker.inject;
