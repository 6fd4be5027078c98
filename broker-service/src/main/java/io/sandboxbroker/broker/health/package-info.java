/** Dropwizard health checks of what the broker depends on, read through the core's ports. */
package io.sandboxbroker.broker.health;
