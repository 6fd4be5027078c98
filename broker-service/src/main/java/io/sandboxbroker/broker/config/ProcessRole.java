package io.sandboxbroker.broker.config;

/** What this process does: serve the API (the scheduler in standby) or run the jobs (no app port). */
public enum ProcessRole {
    API,
    JOBS
}
