/** Thin Quartz jobs (each calls one core service) and the one class that declares every schedule. */
package io.sandboxbroker.broker.jobs;
