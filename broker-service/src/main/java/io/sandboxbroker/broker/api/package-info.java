/** The JSON shapes of the HTTP API (snake_case on the wire); plain records, no behaviour. */
package io.sandboxbroker.broker.api;
