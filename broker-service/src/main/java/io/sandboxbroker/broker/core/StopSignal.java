package io.sandboxbroker.broker.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The process is stopping (ECS sends SIGTERM on every deploy): work in progress finishes the item
 * in hand and ends early, leaving the rest for another process. As the clean-up's {@link Pause},
 * it ends a wait at once and tells the clean-up to stop, without interrupting the thread: an
 * interrupted thread would abort the DynamoDB writes that record the item in hand and the run.
 */
public final class StopSignal implements Pause {
    private final CountDownLatch requested = new CountDownLatch(1);

    public void request() {
        requested.countDown();
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits {@code duration}, or less if the process is asked to stop meanwhile. */
    @Override
    public void pause(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            requested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean stopRequested() {
        return isRequested();
    }
}
