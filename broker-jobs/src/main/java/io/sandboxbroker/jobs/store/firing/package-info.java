/** Acquire, fire, complete, misfire handling and fencing of triggers; imports store.table. */
package io.sandboxbroker.jobs.store.firing;
