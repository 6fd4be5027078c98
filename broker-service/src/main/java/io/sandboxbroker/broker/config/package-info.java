/** The configuration tree below {@code BrokerConfiguration}: validated records, secrets only from the environment. */
package io.sandboxbroker.broker.config;
