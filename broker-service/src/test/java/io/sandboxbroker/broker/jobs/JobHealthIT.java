package io.sandboxbroker.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.config.JobsConfig;
import io.sandboxbroker.broker.core.JobMetrics;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.JobRunLog;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stuck-job detection from the cluster's run records on dynalite, with a clock the test moves. */
class JobHealthIT {
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private DynamoJobRuns runs;
    private JobHealth health;
    private JobsHealthCheck check;

    @BeforeEach
    void freshTable() {
        String table = TestDynamo.uniqueTable("health");
        PoolTable.createIfMissing(TestDynamo.client(), table);
        runs = new DynamoJobRuns(TestDynamo.client(), table, Duration.ofDays(7));
        health = new JobHealth(
                new JobRunLog(runs, new JobRunLog.Node("node-a"), clock, JobMetrics.NONE),
                JobsConfig.defaults(),
                clock);
        check = new JobsHealthCheck(health);
    }

    @Test
    void expectedEvery_followsTheSchedule_alsoForCron() {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");
        assertThat(JobHealth.expectedEvery(BrokerJob.CLEANUP, JobsConfig.defaults(), now))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(JobHealth.expectedEvery(BrokerJob.STALE_SWEEP, JobsConfig.defaults(), now))
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void freshProcess_isHealthy_untilThreeSchedulesPassWithoutARun() {
        assertThat(check.execute().isHealthy()).isTrue();

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));

        assertThat(check.execute().isHealthy()).isFalse();
        assertThat(check.execute().getMessage())
                .contains("cleanup", "auto_expiry", "reconcile", "pool_stats")
                .doesNotContain("stale_sweep");
    }

    @Test
    void aRecentSuccessfulRun_keepsItsJobHealthy_aFailedOneDoesNot() {
        clock.advance(Duration.ofMinutes(20));
        record("cleanup", "completed");
        record("auto_expiry", "failed");

        assertThat(stuck(BrokerJob.CLEANUP)).isFalse();
        assertThat(stuck(BrokerJob.AUTO_EXPIRY)).isTrue();
        assertThat(health.lastSuccessSeconds(BrokerJob.CLEANUP))
                .isEqualTo(clock.instant().getEpochSecond());
        assertThat(health.lastSuccessSeconds(BrokerJob.AUTO_EXPIRY)).isZero();

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(stuck(BrokerJob.CLEANUP))
                .as("three cleanup schedules missed since")
                .isTrue();
    }

    private boolean stuck(BrokerJob job) {
        return health.states().stream()
                .filter(state -> state.job() == job)
                .findFirst()
                .orElseThrow()
                .stuck();
    }

    private void record(String job, String outcome) {
        Instant now = clock.instant();
        runs.record(
                new JobRun(job, "node-a", job + "-" + now.toEpochMilli(), now.minusSeconds(1), now, outcome, Map.of()));
    }
}
