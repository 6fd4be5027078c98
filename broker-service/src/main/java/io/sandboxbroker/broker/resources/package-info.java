/** JAX-RS resources, filters and the exception mapper: HTTP in, a core service call, HTTP out. */
package io.sandboxbroker.broker.resources;
