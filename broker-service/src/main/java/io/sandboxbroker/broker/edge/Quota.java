package io.sandboxbroker.broker.edge;

import java.time.Duration;

/**
 * What one bucket said about one request: whether it may go on, the bucket's size and what is left,
 * and when refused, how long until a token is back.
 */
public record Quota(boolean allowed, long limit, long remaining, Duration retryAfter) {

    /** No bucket applies (exempt endpoint, limits off). */
    public static final Quota UNLIMITED = new Quota(true, Long.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);

    public boolean isLimited() {
        return limit != Long.MAX_VALUE;
    }

    /** The one a client should be told about: a refusal first, else the one with least left. */
    public Quota tighter(Quota other) {
        if (allowed != other.allowed) {
            return allowed ? other : this;
        }
        return other.remaining < remaining ? other : this;
    }
}
