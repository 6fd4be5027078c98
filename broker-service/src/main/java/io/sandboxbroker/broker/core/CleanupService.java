package io.sandboxbroker.broker.core;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the sandboxes whose deletion was asked for (docs/architecture.md#sandbox-lifecycle): NIOSXaaS clean-up first
 * (its failure never blocks the delete), then the provider delete, paced in batches.
 *
 * <ul>
 *   <li>gone → deleted (the item is kept until its TTL) and a history record;</li>
 *   <li>transient failure → stays pending with one more attempt and an exponential backoff, until
 *       the attempts run out → deletion_failed;</li>
 *   <li>permanent failure → deletion_failed, with the reason;</li>
 *   <li>provider not accepting deletes (circuit breaker open) → this and every remaining sandbox is
 *       left exactly as it was: not an attempt, never a failure. The system this replaces turned
 *       such sandboxes into deletion_failed, which nothing ever retried.</li>
 * </ul>
 * Every change is a conditional write on the version read just before; a sandbox changed in the
 * meantime (an operator, a second run) is left alone and counted as {@code skipped_changed}.
 */
public final class CleanupService {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupService.class);

    /** What one cleanup run did. */
    public record Result(
            int due,
            int deleted,
            int retried,
            int failed,
            int skippedOpenCircuit,
            int skippedChanged,
            Map<CleanupOutcome.Kind, Integer> niosxaas,
            boolean interrupted)
            implements JobResult {

        public Result {
            niosxaas = Map.copyOf(niosxaas);
        }

        public int niosxaas(CleanupOutcome.Kind kind) {
            return niosxaas.getOrDefault(kind, 0);
        }

        @Override
        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("due", (long) due);
            counts.put("deleted", (long) deleted);
            counts.put("retried", (long) retried);
            counts.put("failed", (long) failed);
            counts.put("skipped_open_circuit", (long) skippedOpenCircuit);
            counts.put("skipped_changed", (long) skippedChanged);
            for (CleanupOutcome.Kind kind : CleanupOutcome.Kind.values()) {
                counts.put("niosxaas_" + kind.name().toLowerCase(Locale.ROOT), (long) niosxaas(kind));
            }
            return counts;
        }
    }

    private final SandboxRepository sandboxes;
    private final SandboxProvider provider;
    private final SandboxCleaner cleaner;
    private final CleanupHistory history;
    private final CleanupPolicy policy;
    private final Pause pause;
    private final Clock clock;
    private final EventService events;

    @Inject
    public CleanupService(
            SandboxRepository sandboxes,
            SandboxProvider provider,
            SandboxCleaner cleaner,
            CleanupHistory history,
            CleanupPolicy policy,
            Pause pause,
            Clock clock,
            EventService events) {
        this.sandboxes = sandboxes;
        this.provider = provider;
        this.cleaner = cleaner;
        this.history = history;
        this.policy = policy;
        this.pause = pause;
        this.clock = clock;
        this.events = events;
    }

    /** {@link #run(Fence)} for a run nothing else can take over. */
    public Result run() {
        return run(Fence.ALWAYS);
    }

    /**
     * One run over every pending deletion that is due. An interrupt, a stopping process or a lost
     * fence ends it early, after the sandbox in hand, leaving the rest pending. The fence is asked
     * before each sandbox's provider calls.
     */
    public Result run(Fence fence) {
        Instant start = now();
        List<Sandbox> due = new ArrayList<>();
        sandboxes.forEach(SandboxStatus.PENDING_DELETION, sandbox -> {
            if (sandbox.isDeletionDueAt(start)) {
                due.add(sandbox);
            }
        });
        Tally tally = new Tally(due.size());
        for (int i = 0; i < due.size(); i++) {
            if (!provider.acceptsDeletes()) {
                tally.skippedOpenCircuit += due.size() - i;
                break;
            }
            try {
                pause.pause(policy.pauseBefore(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tally.interrupted = true;
                break;
            }
            if (pause.stopRequested()) {
                // The rest is left pending for another process (a stopping one hands the job over).
                tally.interrupted = true;
                break;
            }
            if (!fence.holds()) {
                // Another node took this run over: it deletes the rest, and nothing here may call the provider.
                LOG.warn("action=cleanup outcome=fenced left_pending={}", due.size() - i);
                tally.interrupted = true;
                break;
            }
            if (!clean(due.get(i), tally)) {
                tally.skippedOpenCircuit += due.size() - i;
                break;
            }
        }
        Result result = tally.result();
        LOG.debug(
                "action=cleanup outcome={} {}", result.interrupted() ? "interrupted" : "completed", result.logPairs());
        return result;
    }

    /** False when the provider declined the delete (breaker open): the caller stops the run. */
    private boolean clean(Sandbox listed, Tally tally) {
        Optional<Sandbox> read = sandboxes.find(listed.id());
        if (read.isEmpty() || !read.get().isDeletionDueAt(now())) {
            tally.skippedChanged++;
            return true;
        }
        Sandbox current = read.get();
        CleanupOutcome cleaned = cleanServices(current);
        DeletionResult deletion = deleteAtProvider(current);
        if (deletion.kind() == DeletionResult.Kind.NOT_ATTEMPTED) {
            LOG.warn("action=cleanup sandbox_id={} outcome=not_attempted detail={}", current.id(), deletion.detail());
            return false;
        }
        tally.niosxaas.merge(cleaned.kind(), 1, Integer::sum);
        Instant now = now();
        int attempts = current.deletionRetryCount() + 1;
        switch (deletion.kind()) {
            case GONE ->
                finish(
                        current,
                        sandboxes.markDeleted(current, now, now.plus(policy.historyRetention())),
                        CleanupRecord.Outcome.DELETED,
                        deletion.detail(),
                        attempts,
                        cleaned,
                        tally);
            case PERMANENT ->
                finish(
                        current,
                        sandboxes.markDeletionFailed(current, deletion.detail(), now),
                        CleanupRecord.Outcome.DELETION_FAILED,
                        deletion.detail(),
                        attempts,
                        cleaned,
                        tally);
            case TRANSIENT -> {
                if (attempts >= policy.maxAttempts()) {
                    String reason = "gave up after " + attempts + " attempts: " + deletion.detail();
                    finish(
                            current,
                            sandboxes.markDeletionFailed(current, reason, now),
                            CleanupRecord.Outcome.DELETION_FAILED,
                            reason,
                            attempts,
                            cleaned,
                            tally);
                } else {
                    Instant next = now.plus(policy.backoffAfter(attempts));
                    if (sandboxes
                            .deferDeletion(current, deletion.detail(), next, now)
                            .isPresent()) {
                        tally.retried++;
                        LOG.info(
                                "action=cleanup sandbox_id={} outcome=retry_later attempts={} next_attempt_at={} detail={}",
                                current.id(),
                                attempts,
                                next,
                                deletion.detail());
                    } else {
                        tally.skippedChanged++;
                    }
                }
            }
            default -> throw new IllegalStateException("unexpected deletion result " + deletion.kind());
        }
        return true;
    }

    /**
     * One event per sandbox reaching deletion_failed (its id carries the sandbox's version, so a
     * second failure after an operator's retry is a new event). Announcing must not undo the
     * clean-up's record: a failure to store it is logged, and the sandbox stays in the metrics.
     */
    private void announceDeletionFailed(Sandbox failed, String reason, int attempts) {
        try {
            events.publish(new Event(
                    "sandbox.deletion_failed:" + failed.id() + ":" + failed.version(),
                    EventType.SANDBOX_DELETION_FAILED,
                    now(),
                    Map.of(
                            "sandbox_id",
                            failed.id().value(),
                            "name",
                            failed.name(),
                            "attempts",
                            attempts,
                            "reason",
                            reason)));
        } catch (RuntimeException e) {
            LOG.warn(
                    "action=event type=sandbox.deletion_failed sandbox_id={} outcome=not_stored error={}",
                    failed.id(),
                    e.toString());
        }
    }

    private void finish(
            Sandbox current,
            Optional<Sandbox> written,
            CleanupRecord.Outcome outcome,
            String detail,
            int attempts,
            CleanupOutcome cleaned,
            Tally tally) {
        if (written.isEmpty()) {
            tally.skippedChanged++;
            LOG.warn("action=cleanup sandbox_id={} outcome=changed_meanwhile", current.id());
            return;
        }
        if (outcome == CleanupRecord.Outcome.DELETED) {
            tally.deleted++;
            LOG.info(
                    "action=cleanup sandbox_id={} outcome=deleted attempts={} niosxaas={}",
                    current.id(),
                    attempts,
                    cleaned.kind());
        } else {
            tally.failed++;
            LOG.warn(
                    "action=cleanup sandbox_id={} outcome=deletion_failed attempts={} detail={}",
                    current.id(),
                    attempts,
                    detail);
            announceDeletionFailed(written.get(), detail, attempts);
        }
        history.record(new CleanupRecord(
                current.id(), current.name(), current.externalId(), outcome, detail, attempts, cleaned, now()));
    }

    private CleanupOutcome cleanServices(Sandbox sandbox) {
        try {
            return cleaner.clean(sandbox.externalId());
        } catch (RuntimeException e) {
            // The port promises not to throw; if it does anyway, the delete still goes ahead.
            LOG.warn("action=niosxaas_cleanup sandbox_id={} outcome=failed error={}", sandbox.id(), e.toString());
            return CleanupOutcome.failed(e.getClass().getSimpleName());
        }
    }

    private DeletionResult deleteAtProvider(Sandbox sandbox) {
        try {
            return provider.delete(sandbox.externalId());
        } catch (RuntimeException e) {
            return DeletionResult.transientFailure(e.getClass().getSimpleName());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static final class Tally {
        final int due;
        int deleted;
        int retried;
        int failed;
        int skippedOpenCircuit;
        int skippedChanged;
        boolean interrupted;
        final Map<CleanupOutcome.Kind, Integer> niosxaas = new EnumMap<>(CleanupOutcome.Kind.class);

        Tally(int due) {
            this.due = due;
        }

        Result result() {
            return new Result(due, deleted, retried, failed, skippedOpenCircuit, skippedChanged, niosxaas, interrupted);
        }
    }
}
