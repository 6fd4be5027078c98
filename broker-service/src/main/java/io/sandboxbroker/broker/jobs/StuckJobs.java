package io.sandboxbroker.broker.jobs;

import io.sandboxbroker.broker.core.EventService;
import jakarta.inject.Inject;

/** Announces every job that missed three of its schedules as a job.stuck event (once per episode). */
public final class StuckJobs {
    private final JobHealth health;
    private final EventService events;

    @Inject
    StuckJobs(JobHealth health, EventService events) {
        this.health = health;
        this.events = events;
    }

    public void announce() {
        health.states().stream()
                .filter(JobHealth.State::stuck)
                .forEach(state -> events.announceStuckJob(state.job().wire(), state.lastSuccess(), state.every()));
    }
}
