package io.sandboxbroker.broker.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids for things that must be unique, not secret: write tokens, history entry ids, request
 * ids. {@link UUID#randomUUID()} draws from one shared SecureRandom whose lock every request thread
 * queued on (seen in the allocation storm's profile); a per-thread generator has no lock. The ids
 * keep the version-4 UUID shape, so nothing that reads them changes.
 */
public final class RandomIds {
    private RandomIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }
}
