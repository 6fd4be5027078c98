/** A Quartz JobFactory backed by a Guice injector; imports Guice and Quartz only. */
package io.sandboxbroker.jobs.guice;
