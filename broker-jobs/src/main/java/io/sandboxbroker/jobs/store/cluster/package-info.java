/** Instance check-in, dead-instance detection and recovery; imports store.table, store.firing and store.scheduling. */
package io.sandboxbroker.jobs.store.cluster;
