/** One class per stored item type plus the table definition; imports only Quartz and the DynamoDB client. */
package io.sandboxbroker.jobs.store.table;
