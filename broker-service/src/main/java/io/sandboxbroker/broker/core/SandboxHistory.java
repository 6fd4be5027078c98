package io.sandboxbroker.broker.core;

import java.util.Optional;

/**
 * Port: the recorded changes of one sandbox, oldest first, read by key (never a scan). The
 * changes themselves are recorded by the {@link SandboxRepository} in the same conditional write
 * that makes them.
 */
public interface SandboxHistory {

    /** Up to {@code limit} entries after the cursor (from the start without one). */
    HistoryPage page(SandboxId id, int limit, Optional<String> cursor);
}
