package io.sandboxbroker.broker.resources;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Gives Jetty's {@link Server} the JSON error handler as it starts: the server answers requests
 * that reach no context (and so neither the application's nor the admin's handler) itself.
 */
public final class ServerErrorHandlerListener implements LifeCycle.Listener {
    private final JsonErrorHandler errors;

    public ServerErrorHandlerListener(JsonErrorHandler errors) {
        this.errors = errors;
    }

    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server) {
            server.setErrorHandler(errors);
        }
    }
}
