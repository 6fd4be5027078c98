package io.sandboxbroker.broker;

import ch.qos.logback.classic.LoggerContext;
import com.codahale.metrics.Gauge;
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
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.dropwizard.lifecycle.Managed;
import io.sandboxbroker.broker.api.ServiceInfoView;
import io.sandboxbroker.broker.auth.TokenRegistry;
import io.sandboxbroker.broker.config.DynamoConfig;
import io.sandboxbroker.broker.config.EdgeConfig;
import io.sandboxbroker.broker.config.ProcessRole;
import io.sandboxbroker.broker.core.StopSignal;
import io.sandboxbroker.broker.core.SyncService;
import io.sandboxbroker.broker.core.UsageService;
import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.broker.health.StorageHealthCheck;
import io.sandboxbroker.broker.inject.BrokerModules;
import io.sandboxbroker.broker.jobs.BrokerJob;
import io.sandboxbroker.broker.jobs.JobHealth;
import io.sandboxbroker.broker.jobs.JobSchedules;
import io.sandboxbroker.broker.jobs.JobsHealthCheck;
import io.sandboxbroker.broker.jobs.SchedulerLifecycle;
import io.sandboxbroker.broker.jobs.SyncOnStart;
import io.sandboxbroker.broker.metrics.MetricNames;
import io.sandboxbroker.broker.resources.AccessLogFilter;
import io.sandboxbroker.broker.resources.AddressRateLimitFilter;
import io.sandboxbroker.broker.resources.AdminJobsResource;
import io.sandboxbroker.broker.resources.AdminResource;
import io.sandboxbroker.broker.resources.AdminSupportResource;
import io.sandboxbroker.broker.resources.AllocationResource;
import io.sandboxbroker.broker.resources.AuthFeature;
import io.sandboxbroker.broker.resources.BrokerExceptionMapper;
import io.sandboxbroker.broker.resources.ClientRateLimitFilter;
import io.sandboxbroker.broker.resources.CorsFilter;
import io.sandboxbroker.broker.resources.DocsResource;
import io.sandboxbroker.broker.resources.HealthResource;
import io.sandboxbroker.broker.resources.JsonErrorHandler;
import io.sandboxbroker.broker.resources.MetricsResource;
import io.sandboxbroker.broker.resources.PrometheusServlet;
import io.sandboxbroker.broker.resources.RateLimitHeaders;
import io.sandboxbroker.broker.resources.RequestIdFilter;
import io.sandboxbroker.broker.resources.RouteRecorder;
import io.sandboxbroker.broker.resources.SandboxResource;
import io.sandboxbroker.broker.resources.SecurityHeadersFilter;
import io.sandboxbroker.broker.resources.SendErrorEnvelopeFilter;
import io.sandboxbroker.broker.resources.ServerErrorHandlerListener;
import io.sandboxbroker.broker.resources.ServiceInfoResource;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.dropwizard.SchedulerHealthCheck;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
        // Refuses to start on empty or default tokens outside local mode, before anything else starts.
        TokenRegistry tokens = TokenRegistry.from(config.auth(), config.mode());
        Injector storage =
                Guice.createInjector(Stage.PRODUCTION, BrokerModules.storage(config, environment.metrics(), clock));
        createTablesIfAsked(config.dynamodb(), storage.getInstance(DynamoDbClient.class));
        Injector injector =
                storage.createChildInjector(BrokerModules.application(config, environment.getObjectMapper(), tokens));
        registerResources(environment.jersey(), injector);
        installErrorHandling(config, environment, injector);
        installEdgeFilters(config.edge(), environment, injector);
        registerMetrics(environment, injector);
        manageLifecycles(config, environment, injector);
    }

    /** Local runs and tests only ({@code dynamodb.createTables}); in AWS, Terraform owns the tables. */
    private static void createTablesIfAsked(DynamoConfig dynamodb, DynamoDbClient dynamo) {
        if (dynamodb.createTables()) {
            PoolTable.createIfMissing(dynamo, dynamodb.tableName());
            QuartzTable.createIfMissing(dynamo, dynamodb.quartzTableName());
        }
    }

    private static void registerResources(JerseyEnvironment jersey, Injector injector) {
        jersey.register(injector.getInstance(AllocationResource.class));
        jersey.register(injector.getInstance(SandboxResource.class));
        jersey.register(injector.getInstance(AdminResource.class));
        jersey.register(injector.getInstance(AdminJobsResource.class));
        jersey.register(injector.getInstance(AdminSupportResource.class));
        jersey.register(injector.getInstance(HealthResource.class));
        jersey.register(injector.getInstance(AuthFeature.class));
        jersey.register(injector.getInstance(BrokerExceptionMapper.class));
        jersey.register(injector.getInstance(MetricsResource.class));
        jersey.register(injector.getInstance(DocsResource.class));
        jersey.register(injector.getInstance(ServiceInfoResource.class));
    }

    /** One error envelope from every layer: Jersey's mapper, Jetty's error handlers, the servlet filter. */
    private static void installErrorHandling(BrokerConfiguration config, Environment environment, Injector injector) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // One error envelope: our mapper answers for every exception.
            server.setRegisterDefaultExceptionMappers(false);
        }
        JsonErrorHandler errors = injector.getInstance(JsonErrorHandler.class);
        environment.getApplicationContext().setErrorHandler(errors);
        environment.getAdminContext().setErrorHandler(injector.getInstance(JsonErrorHandler.class));
        environment.lifecycle().addEventListener(new ServerErrorHandlerListener(errors));
    }

    /** The servlet filters, outermost first (each sees what the ones before it set), and their Jersey halves. */
    private static void installEdgeFilters(EdgeConfig edge, Environment environment, Injector injector) {
        JerseyEnvironment jersey = environment.jersey();
        Map<String, Filter> filters = new LinkedHashMap<>();
        filters.put("request-id", injector.getInstance(RequestIdFilter.class));
        filters.put("security-headers", injector.getInstance(SecurityHeadersFilter.class));
        if (edge.enabled()) {
            filters.put("access-log", injector.getInstance(AccessLogFilter.class));
            filters.put("cors", injector.getInstance(CorsFilter.class));
            jersey.register(injector.getInstance(RouteRecorder.class));
            if (edge.rateLimit().enabled()) {
                filters.put("rate-limit", injector.getInstance(AddressRateLimitFilter.class));
                jersey.register(injector.getInstance(ClientRateLimitFilter.class));
                jersey.register(injector.getInstance(RateLimitHeaders.class));
            }
        } else {
            LOG.warn("action=start edge=off: no rate limits, CORS, access log or HTTP metrics (benchmarks only)");
        }
        filters.put("send-error-envelope", injector.getInstance(SendErrorEnvelopeFilter.class));
        addFiltersInOrder(environment, filters);
        environment
                .admin()
                .addFilter("security-headers", injector.getInstance(SecurityHeadersFilter.class))
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    }

    /** JVM metrics, and the registry as Prometheus text on the admin port (how a jobs process is scraped). */
    private static void registerMetrics(Environment environment, Injector injector) {
        registerJvmMetrics(environment.metrics());
        environment
                .admin()
                .addServlet("prometheus", injector.getInstance(PrometheusServlet.class))
                .addMapping("/prometheus");
    }

    /**
     * The scheduler (standby in the API, running in the jobs process), the storage client, and the
     * optional sync at start, with their health checks, and the usage counts' flush.
     */
    private void manageLifecycles(BrokerConfiguration config, Environment environment, Injector injector) {
        // Dropwizard stops managed objects in reverse order: the client, managed first, closes last,
        // after the scheduler has finished its jobs and checked out of the cluster.
        environment.lifecycle().manage(new AutoCloseableManager(injector.getInstance(DynamoDbClient.class)));
        manageScheduler(config, environment, injector);
        watchJobHealth(config, environment, injector);
        environment.healthChecks().register("dynamodb", injector.getInstance(StorageHealthCheck.class));
        if (config.syncOnStart()) {
            environment.lifecycle().manage(new SyncOnStart(injector.getInstance(SyncService.class)));
        }
        flushUsage(
                environment,
                injector.getInstance(UsageService.class),
                config.pools().usageFlushEvery().toSeconds());
    }

    /**
     * Allocation counts kept in memory go to their hourly buckets every few seconds, and once more
     * at shutdown: managed after the storage client, so stopped (and flushed) before it closes.
     */
    private static void flushUsage(Environment environment, UsageService usage, long everySeconds) {
        ScheduledExecutorService flusher = environment
                .lifecycle()
                .scheduledExecutorService("usage-flush")
                .threads(1)
                .build();
        flusher.scheduleWithFixedDelay(usage::flush, everySeconds, everySeconds, TimeUnit.SECONDS);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                usage.flush();
            }
        });
    }

    private void manageScheduler(BrokerConfiguration config, Environment environment, Injector injector) {
        ClusteredScheduler quartz = injector.getInstance(ClusteredScheduler.class);
        environment
                .lifecycle()
                .manage(new SchedulerLifecycle(
                        config.role(),
                        quartz.scheduler(),
                        new JobSchedules(quartz.scheduler(), config.jobs()),
                        injector.getInstance(StopSignal.class),
                        Duration.ofSeconds(30),
                        version()));
        environment
                .healthChecks()
                .register("scheduler", new SchedulerHealthCheck(quartz.scheduler(), quartz.store(), clock));
    }

    /** Every job's last successful run as a metric; in jobs processes, a health check that sees stuck jobs. */
    private void watchJobHealth(BrokerConfiguration config, Environment environment, Injector injector) {
        JobHealth jobHealth = injector.getInstance(JobHealth.class);
        for (BrokerJob job : BrokerJob.values()) {
            environment.metrics().gauge(MetricNames.labelled(LAST_SUCCESS, "job", job.wire()), () ->
                    (Gauge<Long>) () -> jobHealth.lastSuccessSeconds(job));
        }
        if (config.role() == ProcessRole.JOBS) {
            // Stuck jobs are the cluster's, but only jobs tasks are replaced for them (see JobsHealthCheck).
            environment.healthChecks().register("jobs", new JobsHealthCheck(jobHealth));
        }
    }

    static String version() {
        return ServiceInfoView.ofThisBuild().version();
    }

    /**
     * Ahead of Dropwizard's own filters (isMatchAfter=false). Jetty puts each such mapping before
     * the ones registered earlier, so they are registered innermost first.
     */
    private static void addFiltersInOrder(Environment environment, Map<String, Filter> outermostFirst) {
        List<Map.Entry<String, Filter>> innermostFirst = new ArrayList<>(outermostFirst.entrySet());
        Collections.reverse(innermostFirst);
        for (Map.Entry<String, Filter> filter : innermostFirst) {
            environment
                    .servlets()
                    .addFilter(filter.getKey(), filter.getValue())
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
}
