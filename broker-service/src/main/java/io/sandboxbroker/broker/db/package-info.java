/** The DynamoDB adapters of the core's ports: table layout, item mapping, conditional writes. */
package io.sandboxbroker.broker.db;
