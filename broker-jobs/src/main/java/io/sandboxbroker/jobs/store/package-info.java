/** The DynamoDB JobStore façade and its config; delegates to table, scheduling, firing and cluster. */
package io.sandboxbroker.jobs.store;
