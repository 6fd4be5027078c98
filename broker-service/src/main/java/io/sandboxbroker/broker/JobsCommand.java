package io.sandboxbroker.broker;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.sandboxbroker.broker.config.ProcessRole;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code jobs <config>}: the same application and configuration file as {@code server}, with the
 * application connectors dropped (admin port only, for health checks and metrics) and the
 * scheduler running. Sharing the file means both roles can never disagree on table names.
 */
public final class JobsCommand extends ServerCommand<BrokerConfiguration> {

    public JobsCommand(Application<BrokerConfiguration> application) {
        super(application, "jobs", "Runs the background jobs (no application port)");
    }

    @Override
    protected void run(Bootstrap<BrokerConfiguration> bootstrap, Namespace namespace, BrokerConfiguration configuration)
            throws Exception {
        configuration.runAs(ProcessRole.JOBS);
        if (configuration.getServerFactory() instanceof DefaultServerFactory server) {
            server.setApplicationConnectors(List.of());
        } else {
            throw new IllegalStateException("the jobs role needs the default server factory (server.type: default)");
        }
        super.run(bootstrap, namespace, configuration);
    }
}
