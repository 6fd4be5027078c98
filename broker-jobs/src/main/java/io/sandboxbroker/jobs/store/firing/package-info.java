/** Acquire, fire, complete and misfire handling of triggers; imports store.table. */
package io.sandboxbroker.jobs.store.firing;
