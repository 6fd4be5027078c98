/** Health checks and probes of what the broker depends on. */
package io.sandboxbroker.broker.health;
