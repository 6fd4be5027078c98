/**
 * Edge policy without HTTP types: token buckets per key, trusted-proxy address resolution. Imports
 * bucket4j and Caffeine; no JAX-RS, servlet or AWS types (the filters in {@code resources} use it).
 */
package io.sandboxbroker.broker.edge;
