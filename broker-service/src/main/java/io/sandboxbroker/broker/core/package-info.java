/** The domain: sandbox states, values, services and the ports they need. Imports no framework, AWS or HTTP code. */
package io.sandboxbroker.broker.core;
