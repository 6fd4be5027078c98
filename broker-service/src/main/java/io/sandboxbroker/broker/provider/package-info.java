/** HTTP clients of the provider APIs (CSP, NIOSXaaS), adapters of the core's provider port. */
package io.sandboxbroker.broker.provider;
