package io.sandboxbroker.broker;

import ch.qos.logback.classic.LoggerContext;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.BufferPoolMetricSet;
import com.codahale.metrics.jvm.ClassLoadingGaugeSet;
import com.codahale.metrics.jvm.FileDescriptorRatioGauge;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
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
import io.sandboxbroker.broker.core.StopSignal;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.config.EdgeConfig;
import io.sandboxbroker.broker.edge.RateLimiter;
import io.sandboxbroker.broker.edge.SourceAddress;
import io.sandboxbroker.broker.metrics.HttpMetrics;
import io.sandboxbroker.broker.metrics.PoolGauges;
import io.sandboxbroker.broker.metrics.PrometheusText;
import io.sandboxbroker.broker.resources.AccessLogFilter;
import io.sandboxbroker.broker.resources.AddressRateLimitFilter;
import io.sandboxbroker.broker.resources.ClientRateLimitFilter;
import io.sandboxbroker.broker.resources.CorsFilter;
import io.sandboxbroker.broker.resources.DocsResource;
import io.sandboxbroker.broker.resources.MetricsResource;
import io.sandboxbroker.broker.resources.PrometheusServlet;
import io.sandboxbroker.broker.resources.RateLimitHeaders;
import io.sandboxbroker.broker.resources.RouteRecorder;
import io.sandboxbroker.broker.resources.SecurityHeadersFilter;
import io.sandboxbroker.broker.resources.SendErrorEnvelopeFilter;
import jakarta.servlet.Filter;
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
import com.codahale.metrics.Gauge;
import io.sandboxbroker.broker.config.Role;
import io.sandboxbroker.broker.core.JobRunLog;
import io.sandboxbroker.broker.jobs.JobsHealthCheck;
import io.sandboxbroker.broker.jobs.BrokerJob;
import io.sandboxbroker.broker.jobs.JobHealth;
import io.sandboxbroker.broker.jobs.JobSchedules;
import io.sandboxbroker.broker.metrics.MetricNames;
import io.sandboxbroker.broker.jobs.SchedulerLifecycle;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.dropwizard.SchedulerHealthCheck;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Sandbox Broker: one jar, two roles ({@code server} for the API, {@code jobs} for background work). */
public class BrokerApplication extends Application<BrokerConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerApplication.class);

    /** {@code broker_job_last_success_seconds{job=cleanup}}: epoch seconds of the job's last successful run. */
    public static final String LAST_SUCCESS = "broker_job_last_success_seconds";

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
        if (args.length > 0 && "check".equals(args[0])) {
            // A one-shot command: the JVM exits as soon as main returns, before the asynchronous
            // (JSON) appender has written "Configuration is OK". Stopping logging drains it.
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }
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
        // Dropwizard stops managed objects in reverse order: managed first, the client closes last,
        // after the scheduler has finished its jobs and checked out of the cluster.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                dynamo.close();
            }
        });
        manageScheduler(config, environment, injector);

        registerJvmMetrics(environment.metrics());

        JerseyEnvironment jersey = environment.jersey();
        jersey.register(injector.getInstance(AllocationResource.class));
        jersey.register(injector.getInstance(SandboxResource.class));
        jersey.register(injector.getInstance(AdminResource.class));
        jersey.register(injector.getInstance(AdminJobsResource.class));
        jersey.register(injector.getInstance(HealthResource.class));
        jersey.register(injector.getInstance(AuthFeature.class));
        jersey.register(new BrokerExceptionMapper());
        PrometheusText prometheus = new PrometheusText(environment.metrics(), injector.getInstance(PoolGauges.class));
        jersey.register(new MetricsResource(prometheus));
        jersey.register(new DocsResource());
        environment.admin().addServlet("prometheus", new PrometheusServlet(prometheus)).addMapping("/prometheus");

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
        // The servlet filters, outermost first; each sees what the ones before it set.
        Map<String, Filter> filters = new LinkedHashMap<>();
        filters.put("request-id", new RequestIdFilter());
        filters.put("security-headers", new SecurityHeadersFilter());
        EdgeConfig edge = config.edge();
        if (edge.enabled()) {
            filters.put("access-log", new AccessLogFilter(new HttpMetrics(environment.metrics())));
            filters.put("cors", new CorsFilter(edge.cors()));
            jersey.register(new RouteRecorder());
            if (edge.rateLimit().enabled()) {
                RateLimiter limiter = RateLimiter.systemTime(edge.rateLimit());
                filters.put("rate-limit",
                        new AddressRateLimitFilter(limiter, new SourceAddress(edge.rateLimit().proxyRanges())));
                jersey.register(new ClientRateLimitFilter(limiter));
                jersey.register(new RateLimitHeaders());
            }
        } else {
            LOG.warn("action=start edge=off: no rate limits, CORS, access log or HTTP metrics (benchmarks only)");
        }
        filters.put("send-error-envelope", new SendErrorEnvelopeFilter());
        addFiltersInOrder(environment, filters);
        environment.admin().addFilter("security-headers", new SecurityHeadersFilter())
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        environment.healthChecks().register("dynamodb", new StorageHealthCheck(injector.getInstance(StorageProbe.class)));
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
                new JobSchedules(quartz.scheduler(), config.jobs()), injector.getInstance(StopSignal.class),
                Duration.ofSeconds(30), version()));
        environment.healthChecks().register("scheduler", new SchedulerHealthCheck(quartz.scheduler(), quartz.store(), clock));
        JobHealth jobHealth = new JobHealth(injector.getInstance(JobRunLog.class), config.jobs(), clock);
        for (BrokerJob job : BrokerJob.values()) {
            environment.metrics().gauge(MetricNames.labelled(LAST_SUCCESS, "job", job.wire()),
                    () -> (Gauge<Long>) () -> jobHealth.lastSuccessSeconds(job));
        }
        if (config.role() == Role.JOBS) {
            // Stuck jobs are the cluster's, but only jobs tasks are replaced for them (see JobsHealthCheck).
            environment.healthChecks().register("jobs", new JobsHealthCheck(jobHealth));
        }
    }

    /** The jar's version (from its manifest); "dev" when run from classes. */
    static String version() {
        String version = BrokerApplication.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    /**
     * Ahead of Dropwizard's own filters (isMatchAfter=false). Jetty puts each such mapping before
     * the ones registered earlier, so they are registered innermost first.
     */
    private static void addFiltersInOrder(Environment environment, Map<String, Filter> outermostFirst) {
        List<Map.Entry<String, Filter>> innermostFirst = new ArrayList<>(outermostFirst.entrySet());
        Collections.reverse(innermostFirst);
        for (Map.Entry<String, Filter> filter : innermostFirst) {
            environment.servlets().addFilter(filter.getKey(), filter.getValue())
                    .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        }
    }

    /** JVM memory, GC, threads, class loading and buffers as {@code jvm_*}, unless something registered them already. */
    private static void registerJvmMetrics(MetricRegistry metrics) {
        if (metrics.getNames().stream().anyMatch(name -> name.startsWith("jvm."))) {
            return;
        }
        metrics.register("jvm.memory", new MemoryUsageGaugeSet());
        metrics.register("jvm.gc", new GarbageCollectorMetricSet());
        metrics.register("jvm.threads", new ThreadStatesGaugeSet());
        metrics.register("jvm.classloader", new ClassLoadingGaugeSet());
        metrics.register("jvm.buffers", new BufferPoolMetricSet(ManagementFactory.getPlatformMBeanServer()));
        metrics.register("jvm.filedescriptor", new FileDescriptorRatioGauge());
    }

    private static void syncOnce(SyncService sync) {
        try {
            sync.sync();
        } catch (RuntimeException e) {
            LOG.warn("action=sync outcome=failed error={}", e.getMessage());
        }
    }
}
