package io.sandboxbroker.broker;

import io.dropwizard.lifecycle.Managed;

/** Closes a client when the application stops. */
final class CloseOnStop implements Managed {
    private final AutoCloseable client;

    CloseOnStop(AutoCloseable client) {
        this.client = client;
    }

    @Override
    public void stop() throws Exception {
        client.close();
    }
}
