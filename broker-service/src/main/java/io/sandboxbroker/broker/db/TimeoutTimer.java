package io.sandboxbroker.broker.db;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that times DynamoDB calls and attempts out, for every client in the process. The
 * SDK's own (five threads per client) keeps a cancelled timeout queued until its deadline and wakes
 * a thread for it then: about four wake-ups per allocation, on cores that dynalite and the request
 * threads share locally, and for nothing, since almost every call ends long before its timeout.
 * Here a cancelled timeout leaves the queue at once, and a tick keeps a near deadline at its head:
 * a timeout scheduled behind it never wakes the thread, which runs only for the tick and for the
 * rare timeout that fires. Daemon and never shut down: it holds no work once calls end, and the
 * clients of tests and processes come and go while it stays.
 */
final class TimeoutTimer {
    /** Far shorter than any call or attempt timeout, so a new timeout is never at the queue's head. */
    static final long TICK_MILLIS = 100;

    private static final ScheduledExecutorService TIMER = start();

    private TimeoutTimer() {}

    static ScheduledExecutorService shared() {
        return TIMER;
    }

    private static ScheduledExecutorService start() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "dynamodb-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleAtFixedRate(() -> {}, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return timer;
    }
}
