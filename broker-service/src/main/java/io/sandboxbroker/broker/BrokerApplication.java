package io.sandboxbroker.broker;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.lifecycle.Managed;
import io.sandboxbroker.broker.auth.TokenRegistry;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.health.StorageHealthCheck;
import io.sandboxbroker.broker.health.StorageProbe;
import io.sandboxbroker.broker.inject.BrokerModule;
import io.sandboxbroker.broker.resources.AdminJobsResource;
import io.sandboxbroker.broker.resources.AdminResource;
import io.sandboxbroker.broker.resources.AllocationResource;
import io.sandboxbroker.broker.resources.AuthFeature;
import io.sandboxbroker.broker.resources.BrokerExceptionMapper;
import io.sandboxbroker.broker.resources.HealthResource;
import io.sandboxbroker.broker.resources.JsonErrorHandler;
import io.sandboxbroker.broker.resources.RequestIdFilter;
import io.sandboxbroker.broker.resources.SandboxResource;
import jakarta.servlet.DispatcherType;
import io.sandboxbroker.broker.jobs.JobSchedules;
import io.sandboxbroker.broker.jobs.SchedulerLifecycle;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.dropwizard.SchedulerHealthCheck;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Sandbox Broker: one jar, two roles ({@code server} for the API, {@code jobs} for background work). */
public class BrokerApplication extends Application<BrokerConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerApplication.class);

    private final Clock clock;

    public BrokerApplication() {
        this(Clock.systemUTC());
    }

    /** With a clock of the caller's choosing (tests move time). */
    public BrokerApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new BrokerApplication().run(args);
    }

    @Override
    public String getName() {
        return "sandbox-broker";
    }

    @Override
    public void initialize(Bootstrap<BrokerConfiguration> bootstrap) {
        bootstrap.addCommand(new JobsCommand(this));
        // The operators' page: static files from the jar (src/main/resources/admin/), no auth of its own;
        // it calls the admin API with the token the operator enters.
        bootstrap.addBundle(new AssetsBundle("/admin", "/admin/", "index.html", "admin-page"));
        // Strict: an unset ${VAR} without a default stops start-up instead of becoming "".
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(BrokerConfiguration config, Environment environment) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // One error envelope: our mapper answers for every exception.
            server.setRegisterDefaultExceptionMappers(false);
        }
        // Refuses to start on empty or default tokens outside local mode, before anything else starts.
        TokenRegistry tokens = TokenRegistry.from(config.auth(), config.mode());
        Injector injector = Guice.createInjector(Stage.PRODUCTION,
                new BrokerModule(config, environment.metrics(), environment.getObjectMapper(), clock, tokens));
        DynamoDbClient dynamo = injector.getInstance(DynamoDbClient.class);
        manageScheduler(config, environment, injector);

        JerseyEnvironment jersey = environment.jersey();
        jersey.register(injector.getInstance(AllocationResource.class));
        jersey.register(injector.getInstance(SandboxResource.class));
        jersey.register(injector.getInstance(AdminResource.class));
        jersey.register(injector.getInstance(AdminJobsResource.class));
        jersey.register(injector.getInstance(HealthResource.class));
        jersey.register(injector.getInstance(AuthFeature.class));
        jersey.register(new BrokerExceptionMapper());

        JsonErrorHandler errors = new JsonErrorHandler();
        environment.getApplicationContext().setErrorHandler(errors);
        environment.getAdminContext().setErrorHandler(new JsonErrorHandler());
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(errors);
                }
            }
        });
        environment.servlets().addFilter("request-id", new RequestIdFilter())
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        environment.healthChecks().register("dynamodb", new StorageHealthCheck(injector.getInstance(StorageProbe.class)));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                dynamo.close();
            }
        });
        if (config.syncOnStart()) {
            environment.lifecycle().manage(new Managed() {
                @Override
                public void start() {
                    syncOnce(injector.getInstance(SyncService.class));
                }
            });
        }
    }

    private void manageScheduler(BrokerConfiguration config, Environment environment, Injector injector) {
        ClusteredScheduler quartz = injector.getInstance(ClusteredScheduler.class);
        environment.lifecycle().manage(new SchedulerLifecycle(config.role(), quartz.scheduler(),
                new JobSchedules(quartz.scheduler(), config.jobs()), Duration.ofSeconds(30), version()));
        environment.healthChecks().register("scheduler", new SchedulerHealthCheck(quartz.scheduler(), quartz.store(), clock));
    }

    /** The jar's version (from its manifest); "dev" when run from classes. */
    static String version() {
        String version = BrokerApplication.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    private static void syncOnce(SyncService sync) {
        try {
            sync.sync();
        } catch (RuntimeException e) {
            LOG.warn("action=sync outcome=failed error={}", e.getMessage());
        }
    }
}
