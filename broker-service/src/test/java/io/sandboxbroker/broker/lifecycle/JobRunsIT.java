package io.sandboxbroker.broker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandboxbroker.broker.core.JobMetrics;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.JobRunLog;
import io.sandboxbroker.broker.core.StaleSweepService;
import io.sandboxbroker.broker.db.DynamoJobRuns;
import io.sandboxbroker.broker.db.PoolTable;
import io.sandboxbroker.broker.support.MutableClock;
import io.sandboxbroker.broker.support.TestDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job-run records on the pool table, newest first per job. */
class JobRunsIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-05-01T12:00:00.250Z"));
    private DynamoJobRuns runs;

    @BeforeEach
    void table() {
        String table = TestDynamo.uniqueTable("runs");
        PoolTable.createIfMissing(TestDynamo.client(), table);
        runs = new DynamoJobRuns(TestDynamo.client(), table, Duration.ofDays(14));
    }

    @Test
    void recent_roundTripsEveryField_newestFirst_perJob() {
        for (int i = 0; i < 3; i++) {
            Instant start = clock.instant().plusMillis(30_000L * i);
            runs.record(new JobRun(
                    "cleanup",
                    "node-" + i,
                    "run-" + i,
                    start,
                    start.plusMillis(1500),
                    "completed",
                    Map.of("deleted", (long) i, "retried", 2L)));
        }
        runs.record(new JobRun("sync", "node-0", "run-sync", clock.instant(), clock.instant(), "completed", Map.of()));

        List<JobRun> recent = runs.recent("cleanup", 10);

        assertThat(recent).extracting(JobRun::runId).containsExactly("run-2", "run-1", "run-0");
        assertThat(recent.get(0))
                .isEqualTo(new JobRun(
                        "cleanup",
                        "node-2",
                        "run-2",
                        clock.instant().plusMillis(60_000),
                        clock.instant().plusMillis(61_500),
                        "completed",
                        Map.of("deleted", 2L, "retried", 2L)));
        assertThat(runs.recent("cleanup", 2)).extracting(JobRun::runId).containsExactly("run-2", "run-1");
        assertThat(runs.recent("sync", 10)).extracting(JobRun::runId).containsExactly("run-sync");
    }

    @Test
    void jobRunLog_recordsCompletedAndFailedRuns() {
        JobRunLog log = new JobRunLog(runs, new JobRunLog.Node("test-node"), clock, JobMetrics.NONE);

        log.run("stale_sweep", () -> new StaleSweepService.Result(4, 1));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> log.run("stale_sweep", () -> {
                    throw new IllegalStateException("storage down");
                }))
                .isInstanceOf(IllegalStateException.class);

        List<JobRun> recent = log.recent("stale_sweep", 5);
        assertThat(recent).extracting(JobRun::outcome).containsExactly("failed", "completed");
        assertThat(recent.get(1).counts()).isEqualTo(Map.of("removed", 4L, "skipped_changed", 1L));
        assertThat(recent.get(1).node()).isEqualTo("test-node");
    }
}
