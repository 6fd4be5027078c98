package io.sandboxbroker.jobs.store.firing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version each trigger acquired by this instance was written with, by fire instance id. Firing
 * writes conditionally on it, so anything that touched the trigger since (pause, replace, recovery
 * by another node) cancels the firing without an extra read.
 */
public final class Holdings {
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    void hold(String fireId, String version) {
        versions.put(fireId, version);
    }

    String release(String fireId) {
        return fireId == null ? null : versions.remove(fireId);
    }
}
