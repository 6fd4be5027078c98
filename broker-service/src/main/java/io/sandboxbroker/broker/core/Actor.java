package io.sandboxbroker.broker.core;

import org.slf4j.MDC;

/**
 * Who is changing a sandbox right now, as the logging context already names it: a job run sets
 * {@code action} and {@code run_id}, a request {@code client} (the token's name) and
 * {@code request_id}. Read from there so that every port call records its actor without each
 * service passing it along.
 */
public record Actor(String name, String ref) {
    public static final Actor SYSTEM = new Actor("system", null);

    public static Actor current() {
        String runId = MDC.get("run_id");
        if (runId != null) {
            String job = MDC.get("action");
            return new Actor("job:" + (job == null ? "unknown" : job), runId);
        }
        String client = MDC.get("client");
        if (client != null) {
            return new Actor(client, MDC.get("request_id"));
        }
        return SYSTEM;
    }
}
