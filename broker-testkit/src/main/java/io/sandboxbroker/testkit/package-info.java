/** Real stand-ins for tests and local runs (dynalite, the DynamoDB fault proxy, the fake provider); imports no broker code. */
package io.sandboxbroker.testkit;
