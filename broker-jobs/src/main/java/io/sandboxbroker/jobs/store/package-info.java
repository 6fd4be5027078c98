/** The DynamoDB JobStore façade and its config; delegates to table, cluster and firing. */
package io.sandboxbroker.jobs.store;
