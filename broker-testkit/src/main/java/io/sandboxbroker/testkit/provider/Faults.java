package io.sandboxbroker.testkit.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The misbehaviour knobs: latency, one-shot hangs, error bursts and per-account permanent failures.
 * Counted faults are consumed under the object's lock so that "the next N requests" means exactly N
 * even when requests race.
 */
final class Faults {
    private volatile Duration latency = Duration.ZERO;
    private volatile Optional<Duration> deleteLatency = Optional.empty();
    private final List<Countdown<Duration>> hangs = new ArrayList<>();
    private final List<Countdown<Reply>> bursts = new ArrayList<>();
    private final Map<String, Integer> failingAccounts = new ConcurrentHashMap<>();

    void latency(Duration delay) {
        latency = requireNotNegative(delay);
    }

    void deleteLatency(Optional<Duration> delay) {
        deleteLatency = delay.map(Faults::requireNotNegative);
    }

    synchronized void hangNext(RequestMatch match, int count, Duration duration) {
        hangs.add(new Countdown<>(match, requirePositive(count), requireNotNegative(duration)));
    }

    synchronized void failNext(RequestMatch match, int count, Reply reply) {
        bursts.add(new Countdown<>(match, requirePositive(count), reply));
    }

    void failAlways(String accountUuid, int status) {
        failingAccounts.put(Objects.requireNonNull(accountUuid), status);
    }

    void stopFailing(String accountUuid) {
        failingAccounts.remove(accountUuid);
    }

    /** How long to wait before answering: the latency for the method, plus a hang if one matches. */
    Duration delayFor(String method, String path) {
        Duration base = "DELETE".equals(method) ? deleteLatency.orElse(latency) : latency;
        return base.plus(take(hangs, method, path).orElse(Duration.ZERO));
    }

    Optional<Reply> burstFor(String method, String path) {
        return take(bursts, method, path);
    }

    Optional<Reply> accountFailure(Optional<String> accountUuid) {
        return accountUuid
                .map(failingAccounts::get)
                .map(status -> Reply.error(
                        status, status >= 500 ? "internal server error" : "request rejected for this account"));
    }

    synchronized void clear() {
        latency = Duration.ZERO;
        deleteLatency = Optional.empty();
        hangs.clear();
        bursts.clear();
        failingAccounts.clear();
    }

    private synchronized <T> Optional<T> take(List<Countdown<T>> faults, String method, String path) {
        for (Iterator<Countdown<T>> it = faults.iterator(); it.hasNext(); ) {
            Countdown<T> fault = it.next();
            if (fault.match.matches(method, path)) {
                if (--fault.remaining == 0) {
                    it.remove();
                }
                return Optional.of(fault.effect);
            }
        }
        return Optional.empty();
    }

    private static Duration requireNotNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        return duration;
    }

    private static int requirePositive(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        return count;
    }

    /** A fault that applies to the next {@code remaining} matching requests; guarded by Faults' lock. */
    private static final class Countdown<T> {
        private final RequestMatch match;
        private final T effect;
        private int remaining;

        Countdown(RequestMatch match, int remaining, T effect) {
            this.match = match;
            this.remaining = remaining;
            this.effect = effect;
        }
    }
}
