/**
 * The rules of the Scheduler's own calls: storing, replacing and removing jobs and triggers, pausing and resuming,
 * calendars, clearing; imports store.table and store.firing.
 */
package io.sandboxbroker.jobs.store.scheduling;
