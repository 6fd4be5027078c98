/** Shipping checks: the Dockerfile, the config files and the Terraform against the real build and code. */
package io.sandboxbroker.broker.ship;
