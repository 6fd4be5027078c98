package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns changes operators care about into events and delivers them to the subscribed webhooks, at
 * least once: each (event, webhook) is a stored delivery, sent until the receiver answers 2xx,
 * with exponential backoff, and given up after {@link #MAX_ATTEMPTS}. Pool events are edge
 * triggered: one per crossing of low water or of zero, however long a pool stays there.
 */
public final class EventService {
    private static final Logger LOG = LoggerFactory.getLogger(EventService.class);
    static final int MAX_ATTEMPTS = 8;
    static final Duration BACKOFF_BASE = Duration.ofSeconds(30);
    static final Duration BACKOFF_MAX = Duration.ofHours(1);
    private static final int DELIVERIES_PER_RUN = 50;

    private final WebhookOutbox outbox;
    private final WebhookSender sender;
    private final AnnouncedStates announced;
    private final Webhooks webhooks;
    private final Clock clock;

    /** What one delivery pass did. */
    public record DeliveryReport(int delivered, int retried, int failed) {}

    @Inject
    public EventService(
            WebhookOutbox outbox, WebhookSender sender, AnnouncedStates announced, Webhooks webhooks, Clock clock) {
        this.outbox = outbox;
        this.sender = sender;
        this.announced = announced;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /**
     * Compares each pool's state with the one last announced and publishes the crossings: into
     * {@code empty} → pool.empty; from {@code ok} into {@code low} → pool.low; back to {@code ok} →
     * pool.recovered. A pool seen for the first time counts as having been ok. Likewise
     * tenant.retired_still_listed when the provider, having listed no retired tenant, lists some.
     * The events are stored before the new states, under ids made of what crossed and the states'
     * next version, so a run that dies between the two writes stores the same ids again, which are
     * delivered once.
     */
    public List<Event> announce(List<PoolHealth> pools, RetiredTenants.StillListed stillListed) {
        AnnouncedStates.Snapshot last = announced.read().orElse(new AnnouncedStates.Snapshot(0, Map.of(), 0));
        Map<String, PoolState> current = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long next = last.version() + 1;
        for (PoolHealth pool : pools) {
            current.put(pool.group(), pool.state());
            PoolState before = last.states().getOrDefault(pool.group(), PoolState.OK);
            crossing(before, pool.state())
                    .ifPresent(type -> events.add(new Event(
                            type.wire() + ":" + pool.group() + ":" + next,
                            type,
                            now,
                            Map.of(
                                    "pool",
                                    pool.group(),
                                    "available",
                                    pool.available(),
                                    "low_water",
                                    pool.level().lowWater(),
                                    "state",
                                    pool.state().wire(),
                                    "previous_state",
                                    before.wire()))));
        }
        if (last.retiredStillListed() == 0 && stillListed.count() > 0) {
            events.add(new Event(
                    EventType.TENANT_RETIRED_STILL_LISTED.wire() + ":" + next,
                    EventType.TENANT_RETIRED_STILL_LISTED,
                    now,
                    Map.of(
                            "count",
                            stillListed.count(),
                            "sample",
                            String.join(
                                    ",",
                                    stillListed.sample().stream()
                                            .map(SandboxId::value)
                                            .toList()),
                            "checked_at",
                            stillListed.checkedAt().getEpochSecond())));
        }
        events.forEach(this::publish);
        boolean changed = !current.equals(last.states()) || last.retiredStillListed() != stillListed.count();
        if (changed && !announced.write(last.version(), current, stillListed.count())) {
            LOG.info("action=announce outcome=superseded version={}", last.version());
        }
        return events;
    }

    /**
     * job.stuck for a job that missed three of its schedules. Its id names the job and the last
     * success it is stuck since, so announcing it on every run while the job stays stuck stores
     * one delivery (the outbox keeps one per id); a job that recovers and gets stuck again is a
     * new event.
     */
    public Event announceStuckJob(String job, Optional<Instant> lastSuccess, Duration every) {
        String since = lastSuccess.map(at -> Long.toString(at.getEpochSecond())).orElse("none");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job", job);
        details.put("every_seconds", every.toSeconds());
        lastSuccess.ifPresent(at -> details.put("last_success", at.getEpochSecond()));
        Event event = new Event(
                EventType.JOB_STUCK.wire() + ":" + job + ":" + since,
                EventType.JOB_STUCK,
                clock.instant().truncatedTo(ChronoUnit.SECONDS),
                details);
        publish(event);
        return event;
    }

    /** Stores a delivery of {@code event} for every webhook subscribed to its type. */
    public void publish(Event event) {
        for (Webhook webhook : webhooks.all()) {
            if (webhook.wants(event.type())) {
                outbox.enqueue(new Delivery(event, webhook.name(), 0, event.at(), null));
            }
        }
        LOG.info("action=event type={} event_id={}", event.type().wire(), event.id());
    }

    /** Sends the deliveries that are due. */
    public DeliveryReport deliver() {
        Instant now = clock.instant();
        int delivered = 0;
        int retried = 0;
        int failed = 0;
        for (Delivery delivery : outbox.due(now, DELIVERIES_PER_RUN)) {
            Optional<Webhook> webhook = webhooks.named(delivery.webhook());
            String error = webhook.isEmpty() ? "webhook no longer configured" : send(webhook.get(), delivery.event());
            int attempts = delivery.attempts() + 1;
            if (error == null) {
                outbox.delivered(new Delivery(delivery.event(), delivery.webhook(), attempts, now, null), now);
                delivered++;
            } else if (attempts >= MAX_ATTEMPTS || webhook.isEmpty()) {
                outbox.failed(new Delivery(delivery.event(), delivery.webhook(), attempts, now, error), now, error);
                failed++;
            } else {
                outbox.retryLater(
                        new Delivery(delivery.event(), delivery.webhook(), attempts, now, error),
                        now.plus(backoff(attempts)),
                        error);
                retried++;
            }
            LOG.info(
                    "action=webhook_delivery webhook={} event_id={} attempt={} outcome={} error={}",
                    delivery.webhook(),
                    delivery.event().id(),
                    attempts,
                    error == null ? "delivered" : "failed",
                    error == null ? "-" : error);
        }
        return new DeliveryReport(delivered, retried, failed);
    }

    private String send(Webhook webhook, Event event) {
        try {
            return sender.send(webhook, event);
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    static Duration backoff(int attempts) {
        Duration delay = BACKOFF_BASE.multipliedBy(1L << Math.min(attempts - 1, 20));
        return delay.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay;
    }

    private static Optional<EventType> crossing(PoolState before, PoolState now) {
        if (before == now) {
            return Optional.empty();
        }
        return switch (now) {
            case EMPTY -> Optional.of(EventType.POOL_EMPTY);
            case LOW -> before == PoolState.OK ? Optional.of(EventType.POOL_LOW) : Optional.empty();
            case OK -> Optional.of(EventType.POOL_RECOVERED);
        };
    }
}
