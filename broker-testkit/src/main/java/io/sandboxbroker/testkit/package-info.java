/** Real stand-ins for tests and local runs (dynalite, the fake provider); imports no broker code. */
package io.sandboxbroker.testkit;
