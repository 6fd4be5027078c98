package io.sandboxbroker.broker.lifecycle;

import io.sandboxbroker.testkit.provider.FakeProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One fake provider per class, reset before each test, and a fresh {@link Lifecycle} on a new table. */
abstract class LifecycleTest {
    static FakeProvider fake;
    Lifecycle life;

    @BeforeAll
    static void startFakeProvider() {
        fake = FakeProvider.start();
    }

    @AfterAll
    static void stopFakeProvider() {
        fake.close();
    }

    @BeforeEach
    void freshLifecycle() {
        fake.reset();
        life = new Lifecycle(fake);
    }
}
