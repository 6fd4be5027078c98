package io.sandboxbroker.broker.core;

import java.util.List;

/** Port: the history of finished clean-ups, per sandbox. */
public interface CleanupHistory {

    void record(CleanupRecord record);

    /** The sandbox's history, newest first. */
    List<CleanupRecord> of(SandboxId sandboxId);
}
