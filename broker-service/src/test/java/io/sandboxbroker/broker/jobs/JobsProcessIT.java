package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.support.BrokerProcess;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.TestDynamo;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two real `jobs` processes from the same config file as the API: no application port, the
 * scheduler running, the pool filled by the sync job, and a run enqueued by the API executed once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JobsProcessIT {
    private static final String TABLE = TestDynamo.uniqueTable("jobs-process");
    private static final FakeProvider PROVIDER = FakeProvider.start();
    static final DropwizardAppExtension<BrokerConfiguration> API = BrokerTestApp.withProvider(TABLE, PROVIDER);
    private static final List<BrokerProcess> PROCESSES = new ArrayList<>();

    @AfterAll
    static void stopAll() throws InterruptedException {
        for (BrokerProcess process : PROCESSES) {
            process.close();
        }
        PROVIDER.close();
    }

    private static BrokerProcess startJobsProcess(String instanceId) {
        BrokerProcess process = BrokerProcess.jobs(TABLE, PROVIDER, instanceId, Map.of());
        PROCESSES.add(process);
        return process;
    }

    @Test
    void jobsProcesses_runTheScheduleAndTheRunsTheApiEnqueues() {
        PROVIDER.addSandboxes("jobs-a", 12);
        BrokerProcess first = startJobsProcess("jobs-one");
        BrokerProcess second = startJobsProcess("jobs-two");
        Pool pool = Pool.of(TABLE);

        for (BrokerProcess process : List.of(first, second)) {
            process.awaitLine(l -> l.contains("Started 6 background jobs"), Duration.ofSeconds(90));
            assertThat(process.lines()).anyMatch(l -> l.contains("Sandbox Broker jobs dev starting…"));
            // Jetty opens its connectors after the managed objects (the scheduler) have started.
            process.awaitLine(l -> l.contains("Started admin@"), Duration.ofSeconds(30));
            assertThat(process.lines()).noneMatch(l -> l.contains("Started application@"));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pool.all(SandboxStatus.AVAILABLE).size() == 12);

        PROVIDER.addSandboxes("jobs-b", 5);
        LabClient admin = LabClient.at(API.getLocalPort()).admin();
        Reply enqueued = admin.post("/v1/admin/sync");

        assertThat(enqueued.status()).isEqualTo(202);
        String runId = enqueued.text("run_id");
        assertThat(runId).isNotBlank();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pool.all(SandboxStatus.AVAILABLE).size() == 17);
        await().atMost(Duration.ofSeconds(10)).until(() -> ranOnce(runId, first, second));

        PROVIDER.addSandboxes("jobs-c", 2);
        Reply waited = admin.post("/v1/admin/sync?wait=true");
        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.text("status")).isEqualTo("completed");
        assertThat(waited.body().path("synced").asLong()).isEqualTo(19);
        assertThat(waited.body().path("added").asLong()).isEqualTo(2);
        assertThat(waited.body().path("duration_ms").isNumber()).isTrue();
        Reply cleanup = admin.post("/v1/admin/cleanup?wait=true");
        assertThat(cleanup.status()).isEqualTo(200);
        assertThat(cleanup.body().path("deleted").asLong()).isZero();
        assertThat(cleanup.body().has("failed")).isTrue();
        assertThat(admin.post("/v1/admin/sync?wait=maybe").code()).isEqualTo("VALIDATION_ERROR");

        // Each process exports what it ran: the runs above happened on one or the other.
        String scrapes = scrape(first) + scrape(second);
        assertThat(scrapes)
                .contains("broker_job_runs_total{job=\"sync\",outcome=\"completed\",}")
                .contains("broker_job_runs_total{job=\"cleanup\",outcome=\"completed\",}")
                .contains("# TYPE broker_job_run_duration_seconds histogram")
                .contains("broker_job_run_duration_seconds_bucket{job=\"sync\",le=\"0.05\",}")
                .contains("broker_job_events_total{job=\"sync\",event=\"added\",}")
                .contains("broker_job_events_total{job=\"cleanup\",event=\"deleted\",}")
                .contains("broker_cleanup_breaker_state{state=\"closed\",} 1.0")
                .contains("broker_cleanup_breaker_state{state=\"open\",} 0.0")
                .doesNotContain("broker_job_events_total{job=\"pool_stats\"");
        assertThat(addedBySync(scrapes))
                .as("sync's added, summed over both processes")
                .isEqualTo(19);

        JsonNode jobs = admin.get("/v1/admin/jobs").body();
        List<String> names = new ArrayList<>();
        jobs.path("jobs").forEach(j -> names.add(j.path("name").asText()));
        assertThat(names).containsExactly("sync", "cleanup", "auto_expiry", "stale_sweep", "reconcile", "pool_stats");
        assertThat(jobs.path("jobs")
                        .get(0)
                        .path("last_runs")
                        .get(0)
                        .path("outcome")
                        .asText())
                .isEqualTo("completed");
        assertThat(jobs.path("jobs").get(0).path("name").asText()).isEqualTo("sync");
        assertThat(jobs.path("jobs").get(0).path("next_fire_time").isIntegralNumber())
                .isTrue();
        assertThat(jobs.path("jobs")
                        .get(0)
                        .path("last_runs")
                        .get(0)
                        .path("started_at")
                        .isIntegralNumber())
                .isTrue();
        assertThat(jobs.path("nodes").get(0).path("last_checkin").isIntegralNumber())
                .isTrue();
        List<String> nodes = new ArrayList<>();
        jobs.path("nodes")
                .forEach(n -> nodes.add(
                        n.path("instance_id").asText() + ":" + n.path("alive").asBoolean()));
        assertThat(nodes).containsExactlyInAnyOrder("jobs-one:true", "jobs-two:true");
    }

    private static String scrape(BrokerProcess process) {
        Reply reply = LabClient.at(process.adminPort()).get("/prometheus");
        assertThat(reply.status()).isEqualTo(200);
        return reply.raw().body();
    }

    private static long addedBySync(String scrapes) {
        return scrapes.lines()
                .filter(l -> l.startsWith("broker_job_events_total{job=\"sync\",event=\"added\",}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The enqueued run finished on exactly one node. */
    private static boolean ranOnce(String runId, BrokerProcess... processes) {
        long completions = 0;
        for (BrokerProcess process : processes) {
            completions += process.lines().stream()
                    .filter(l -> l.contains("run_id=" + runId) && l.contains("outcome=completed"))
                    .count();
        }
        return completions == 1;
    }
}
