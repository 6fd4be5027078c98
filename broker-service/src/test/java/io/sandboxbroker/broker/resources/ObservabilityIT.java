package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.LogCapture;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.RawHttp;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Prometheus text on both ports, HTTP and pool metrics, one access line per request, no secret in any log. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ObservabilityIT {
    private static final String TABLE = TestDynamo.uniqueTable("observe");
    /** Frozen: the pool stats cache (10 s) never expires during a test. */
    private static final MutableClock CLOCK = MutableClock.startingNow();
    // No background usage flush between two counts of DynamoDB calls (the scrapes must read nothing).
    static final DropwizardAppExtension<BrokerConfiguration> APP =
            BrokerTestApp.extension(CLOCK, TABLE, ConfigOverride.config("pools.usageFlushEvery", "1 hour"));

    private static Pool pool;

    @BeforeAll
    static void seed() {
        pool = Pool.of(TABLE);
        pool.seed("lab-observe", 4);
        pool.seed("lab-other", 2);
    }

    private static LabClient client() {
        return LabClient.at(APP.getLocalPort());
    }

    private static long dynamoReads() {
        return APP
                .getEnvironment()
                .metrics()
                .getCounters((name, metric) -> name.startsWith("broker_dynamodb_calls{"))
                .values()
                .stream()
                .mapToLong(c -> c.getCount())
                .sum();
    }

    @Test
    void metrics_prometheusTextOnTheAppPort_withoutToken() {
        Reply allocated = client().lab("observer").post("/v1/allocate");
        assertThat(allocated.status()).isEqualTo(201);
        client().lab("observer").get("/v1/sandboxes/" + allocated.text("sandbox_id"));

        // Latency is recorded once a response has gone out: wait for the GET's sample to be there.
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        client().get("/metrics").raw().body().contains("route=\"/v1/sandboxes/{id}\",status=\"200\""));
        Reply scrape = client().get("/metrics");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
        String text = scrape.raw().body();
        assertThat(text)
                .contains("broker_allocations{outcome=\"created\",} 1.0")
                .contains("# TYPE broker_allocation_latency_seconds histogram")
                .contains("broker_allocation_latency_seconds_bucket{outcome=\"created\",le=\"0.005\",}")
                .contains("broker_allocation_latency_seconds_bucket{outcome=\"created\",le=\"10.0\",} 1.0")
                .contains("broker_allocation_latency_seconds_count{outcome=\"created\",} 1.0")
                .contains("# TYPE broker_http_request_duration_seconds histogram")
                .contains(
                        "broker_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/allocate\",status=\"201\",le=\"+Inf\",} 1.0")
                .contains("broker_dynamodb_calls{operation=\"Query\",}")
                .contains(
                        "broker_http_request_duration_seconds_count{method=\"POST\",route=\"/v1/allocate\",status=\"201\",} 1.0")
                .contains(
                        "broker_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/sandboxes/{id}\",status=\"200\",} 1.0")
                .contains("jvm_memory_heap_used")
                .contains("jvm_threads_count")
                .contains("broker_pool_sandboxes{status=\"available\",}")
                .contains("broker_pool_available{group=\"lab-observe\",}")
                .contains("broker_pool_available{group=\"lab-other\",} 2.0")
                .contains("broker_pool_low_water{group=\"lab-other\",} 10.0")
                .contains("broker_pool_state{group=\"lab-other\",} 1.0")
                .contains("broker_cleanup_breaker_state{state=\"closed\",} 1.0");
        assertThat(text.lines())
                .as("histograms, not quantile summaries")
                .noneMatch(l -> l.startsWith("broker_http_request_duration_seconds{")
                        || l.startsWith("broker_allocation_latency_seconds{"));
        // Raw paths never become series: the id is not in any label.
        assertThat(text).doesNotContain("/v1/sandboxes/" + allocated.text("sandbox_id"));
    }

    @Test
    void metrics_onTheAdminPortToo_forTheJobsProcess() {
        Reply scrape = LabClient.at(APP.getAdminPort()).get("/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.raw().body())
                .contains("broker_pool_sandboxes{status=\"available\",}")
                .contains("jvm_memory_heap_used");
        // Dropwizard's own JSON stays where it was.
        assertThat(LabClient.at(APP.getAdminPort()).get("/metrics").body().has("counters"))
                .isTrue();
    }

    @Test
    void repeatedScrapes_withinTheCacheWindow_readNothingFromDynamo() {
        assertThat(client().get("/metrics").status()).isEqualTo(200);
        long before = dynamoReads();

        client().get("/metrics");
        LabClient.at(APP.getAdminPort()).get("/prometheus");

        assertThat(dynamoReads()).isEqualTo(before);
    }

    @Test
    void unknownPathsAndMethods_shareBoundedSeries() {
        for (int i = 0; i < 20; i++) {
            client().get("/v1/random-" + i);
        }
        RawHttp.send(APP.getLocalPort(), "PURGE /v1/allocate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client().get("/metrics")
                        .raw()
                        .body()
                        .contains("method=\"OTHER\",route=\"(unrouted)\",status=\"405\""));
        String text = client().get("/metrics").raw().body();
        assertThat(text).doesNotContain("random-").doesNotContain("PURGE");
        assertThat(text).contains("route=\"(unrouted)\",status=\"404\"");
    }

    @Test
    void accessLog_oneLinePerRequest_withRouteTemplateClientLearnerAndLevels() {
        ListAppender<ILoggingEvent> access = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLogFilter.class);
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        access.start();
        logger.addAppender(access);
        try {
            client().lab("log-learner").with("X-Request-ID", "access-1").get("/v1/sandboxes/987654");
            client().with("X-Request-ID", "access-2").post("/v1/allocate");
            client().with("X-Request-ID", "access-3").get("/healthz");
            // The line is written after the response has gone out.
            await().atMost(Duration.ofSeconds(10)).until(() -> access.list.size() >= 3);
        } finally {
            logger.detachAppender(access);
            logger.setLevel(previous);
        }
        List<ILoggingEvent> events = List.copyOf(access.list);
        assertThat(events).hasSize(3);

        Map<String, String> first = events.get(0).getMDCPropertyMap();
        assertThat(first)
                .containsEntry("request_id", "access-1")
                .containsEntry("client", "lab-one")
                .containsEntry("learner_id", "log-learner")
                .containsEntry("method", "GET")
                .containsEntry("route", "/v1/sandboxes/{id}")
                .containsEntry("status", "404")
                .containsKey("latency_ms");
        assertThat(events.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(events.get(0).getFormattedMessage())
                .contains("route=/v1/sandboxes/{id}")
                .doesNotContain("987654");

        assertThat(first)
                .as("the envelope's code, for errors by code")
                .containsEntry("error_code", "SANDBOX_NOT_FOUND");

        assertThat(events.get(1).getMDCPropertyMap())
                .containsEntry("status", "401")
                .containsEntry("client", "-")
                .containsEntry("error_code", "UNAUTHORIZED");
        assertThat(events.get(1).getFormattedMessage()).contains("error_code=UNAUTHORIZED");
        assertThat(events.get(2).getMDCPropertyMap()).as("no code on a success").doesNotContainKey("error_code");
        assertThat(events.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(events.get(2).getMDCPropertyMap())
                .containsEntry("route", "/healthz")
                .containsEntry("status", "200");
    }

    @Test
    void secretsInHeaders_neverReachALogLineOrAnErrorBody() {
        String[] secrets = {
            BrokerTestApp.LAB_TOKEN,
            BrokerTestApp.ADMIN_TOKEN,
            "sup3r-s3cret-bearer",
            "cookie-secret-value",
            "hunter2-password"
        };
        StringBuilder bodies = new StringBuilder();
        String logs;
        try (LogCapture capture = new LogCapture()) {
            Logger access = (Logger) LoggerFactory.getLogger(AccessLogFilter.class);
            access.setLevel(Level.DEBUG);
            List<Reply> replies = List.of(
                    client().lab("secret-run").post("/v1/allocate"),
                    client().lab("secret-run").get("/v1/sandboxes/1"),
                    client().admin().get("/v1/admin/stats"),
                    client().admin().get("/v1/admin/sandboxes?limit=abc"),
                    client().with("Authorization", "Bearer sup3r-s3cret-bearer").post("/v1/allocate"),
                    client().with(
                                    "Authorization",
                                    "Basic "
                                            + java.util.Base64.getEncoder()
                                                    .encodeToString("ops:hunter2-password".getBytes()))
                            .get("/v1/admin/stats"),
                    client().with("Authorization", "Bearer " + BrokerTestApp.LAB_TOKEN)
                            .with("X-Instruqt-Sandbox-ID", "x".repeat(300))
                            .post("/v1/allocate"),
                    client().with("Cookie", "session=cookie-secret-value")
                            .with("Authorization", "Bearer hunter2-password")
                            .get("/v1/nope"),
                    client().with("Authorization", "Bearer " + BrokerTestApp.ADMIN_TOKEN)
                            .lab("x")
                            .get("/v1/allocate"));
            replies.forEach(reply -> bodies.append(reply.raw().body()).append('\n'));
            RawHttp.send(
                    APP.getLocalPort(),
                    "GET /v1/admin/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + BrokerTestApp.ADMIN_TOKEN
                            + "\r\nBad Header: sup3r-s3cret-bearer\r\nConnection: close\r\n\r\n");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> capture.lines().stream()
                                    .filter(line -> line.contains("action=http"))
                                    .count()
                            >= replies.size());
            access.setLevel(null);
            logs = capture.text();
        }
        assertThat(logs).contains("action=http");
        for (String secret : secrets) {
            assertThat(logs).as("logs").doesNotContain(secret);
            assertThat(bodies.toString()).as("bodies").doesNotContain(secret);
        }
        assertThat(logs).doesNotContainIgnoringCase("authorization").doesNotContainIgnoringCase("bearer ");
    }

    @Test
    void serverErrorsAreErrors_clientErrorsAreNot() {
        ListAppender<ILoggingEvent> access = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLogFilter.class);
        logger.setLevel(Level.INFO);
        access.start();
        logger.addAppender(access);
        try {
            client().get("/v1/nope");
            client().lab("x").get("/v1/allocate");
            client().admin().get("/v1/admin/sandboxes?limit=0");
            await().atMost(Duration.ofSeconds(10)).until(() -> access.list.size() >= 3);
        } finally {
            logger.detachAppender(access);
            logger.setLevel(null);
        }
        assertThat(access.list)
                .hasSize(3)
                .allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.INFO));
    }
}
