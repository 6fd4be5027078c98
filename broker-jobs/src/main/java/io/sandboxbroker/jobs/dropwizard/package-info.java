/** Dropwizard lifecycle and health check for a scheduler; imports Dropwizard, Metrics and store. */
package io.sandboxbroker.jobs.dropwizard;
