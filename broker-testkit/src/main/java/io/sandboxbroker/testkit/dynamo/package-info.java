/**
 * A DynamoDB fault proxy for tests: {@link io.sandboxbroker.testkit.dynamo.FaultProxy} sits between the AWS SDK
 * and dynalite and injects what DynamoDB does and dynalite does not (writes applied then failed, lagging
 * indexes, throttling, latency), per operation, table and index, seeded, counting what it injected.
 */
package io.sandboxbroker.testkit.dynamo;
