package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.config.JobsConfig;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.core.JobRunLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Whether each job still runs: its last successful run in the whole cluster (from the run records)
 * against its schedule. A job that missed three of its schedules is stuck; a process that started
 * less than three schedules ago gives every job that much grace, so a fresh cluster (or a restart
 * meant to unstick one) is not judged at once. Read at most every {@link #REFRESH}, since health
 * checks and scrapes come often and each job costs one query.
 */
public final class JobHealth {
    static final int MISSED_SCHEDULES = 3;
    private static final Duration REFRESH = Duration.ofSeconds(30);
    private static final int RUNS_READ = 20;

    /** One job: when it last succeeded (if in the runs kept) and whether it is overdue. */
    public record State(BrokerJob job, Optional<Instant> lastSuccess, Duration every, boolean stuck) {}

    private final JobRunLog runs;
    private final Clock clock;
    private final Instant startedAt;
    private final Map<BrokerJob, Duration> every = new EnumMap<>(BrokerJob.class);
    private volatile List<State> cached;
    private volatile Instant readAt = Instant.MIN;

    public JobHealth(JobRunLog runs, JobsConfig config, Clock clock) {
        this.runs = runs;
        this.clock = clock;
        this.startedAt = clock.instant();
        for (BrokerJob job : BrokerJob.values()) {
            every.put(job, expectedEvery(job, config, startedAt));
        }
    }

    public synchronized List<State> states() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(readAt.plus(REFRESH))) {
            List<State> states = new ArrayList<>();
            for (BrokerJob job : BrokerJob.values()) {
                Optional<Instant> last = lastSuccess(job);
                Instant reference = last.filter(at -> at.isAfter(startedAt)).orElse(startedAt);
                Duration allowed = every.get(job).multipliedBy(MISSED_SCHEDULES);
                states.add(new State(job, last, every.get(job), now.isAfter(reference.plus(allowed))));
            }
            cached = List.copyOf(states);
            readAt = now;
        }
        return cached;
    }

    /**
     * For the {@code broker_job_last_success_seconds} gauge: epoch seconds of the job's last
     * successful run, 0 if none is kept; when storage cannot be read, the last value read (a
     * scrape must not fail).
     */
    public long lastSuccessSeconds(BrokerJob job) {
        List<State> states;
        try {
            states = states();
        } catch (RuntimeException e) {
            states = cached == null ? List.of() : cached;
        }
        return states.stream()
                .filter(state -> state.job() == job)
                .findFirst()
                .flatMap(State::lastSuccess)
                .map(Instant::getEpochSecond)
                .orElse(0L);
    }

    private Optional<Instant> lastSuccess(BrokerJob job) {
        return runs.recent(job.wire(), RUNS_READ).stream()
                .filter(run -> !"failed".equals(run.outcome()))
                .map(JobRun::finishedAt)
                .max(Instant::compareTo);
    }

    /** The time between two firings of the job's schedule (for a cron schedule, the next two). */
    static Duration expectedEvery(BrokerJob job, JobsConfig config, Instant from) {
        Trigger trigger = TriggerBuilder.newTrigger()
                .withSchedule(job.schedule(config))
                .startAt(Date.from(from))
                .build();
        Date first = trigger.getFireTimeAfter(Date.from(from));
        Date second = trigger.getFireTimeAfter(first);
        return Duration.between(first.toInstant(), second.toInstant());
    }
}
