package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import java.time.Duration;
import java.util.Optional;

/** The {@code seconds} query parameter of the extend endpoints: a whole number of seconds, at most 7 days. */
final class ExtraTime {
    static final long MAX_SECONDS = Duration.ofDays(7).toSeconds();

    private ExtraTime() {}

    static Optional<Duration> parse(String seconds) {
        if (seconds == null || seconds.isEmpty()) {
            return Optional.empty();
        }
        try {
            long parsed = Long.parseLong(seconds);
            if (parsed >= 1 && parsed <= MAX_SECONDS) {
                return Optional.of(Duration.ofSeconds(parsed));
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the same answer as an out-of-range number
        }
        throw new BrokerException(Reason.VALIDATION_ERROR, "seconds must be a whole number from 1 to " + MAX_SECONDS);
    }
}
