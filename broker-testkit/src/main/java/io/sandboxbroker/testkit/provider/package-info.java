/**
 * The fake provider: a real HTTP server speaking the CSP and NIOSXaaS wire contract (docs/architecture.md#provider-apis), with
 * knobs for seeding, latency, error bursts and hangs, and a record of every call. JDK, Jackson and
 * slf4j only; imports no broker code.
 */
package io.sandboxbroker.testkit.provider;
