/** Instance check-in, dead-instance detection and recovery; imports store.table. */
package io.sandboxbroker.jobs.store.cluster;
