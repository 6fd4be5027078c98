/** Entry points: the clustered scheduler factory; imports store, Quartz and the AWS SDK. */
package io.sandboxbroker.jobs;
