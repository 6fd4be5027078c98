package io.sandboxbroker.broker.core;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import java.util.List;
import java.util.Optional;

/**
 * What one lab token may be used for: the name prefixes (pools) it may allocate from and,
 * optionally, the tracks ({@code X-Instruqt-Track-ID}) it may be used by. Empty lists mean no
 * limit, so a token without a scope works everywhere. A leaked scoped token reaches only its own
 * pools: it can neither take sandboxes from other pools nor read or release their sandboxes.
 */
public record LabScope(List<String> pools, List<String> tracks) {
    public static final LabScope ANY = new LabScope(List.of(), List.of());

    public LabScope {
        pools = List.copyOf(pools);
        tracks = List.copyOf(tracks);
    }

    public boolean isLimited() {
        return !pools.isEmpty() || !tracks.isEmpty();
    }

    /**
     * The request as this scope lets it run: the name prefix must lie inside one of the pools (a
     * narrower prefix is fine); without one, a single-pool scope answers for it.
     *
     * @throws BrokerException FORBIDDEN for another pool, a missing prefix with several pools, or a track outside the scope
     */
    public AllocationRequest admit(AllocationRequest request) {
        checkTrack(request.trackName());
        if (pools.isEmpty()) {
            return request;
        }
        Optional<String> prefix = request.namePrefix();
        if (prefix.isEmpty()) {
            if (pools.size() == 1) {
                return new AllocationRequest(
                        request.learner(), request.trackName(), Optional.of(pools.get(0)), request.idempotencyKey());
            }
            throw forbidden("this token serves several pools; send X-Sandbox-Name-Prefix naming one of them");
        }
        if (pools.stream().noneMatch(pool -> prefix.get().startsWith(pool))) {
            throw forbidden("this token may not allocate from the pool " + prefix.get());
        }
        return request;
    }

    /** Whether a sandbox lies inside this scope (its pool, and its track when tracks are limited). */
    public boolean covers(Sandbox sandbox) {
        boolean inPool = pools.isEmpty()
                || (sandbox.name() != null
                        && pools.stream().anyMatch(pool -> sandbox.name().startsWith(pool)));
        boolean onTrack = tracks.isEmpty() || (sandbox.trackName() != null && tracks.contains(sandbox.trackName()));
        return inPool && onTrack;
    }

    /** @throws BrokerException FORBIDDEN unless the sandbox lies inside this scope */
    public void check(Sandbox sandbox) {
        if (!covers(sandbox)) {
            throw forbidden("this token may not use sandbox " + sandbox.id());
        }
    }

    private void checkTrack(Optional<String> track) {
        if (!tracks.isEmpty() && (track.isEmpty() || !tracks.contains(track.get()))) {
            throw forbidden("this token may not be used for this track");
        }
    }

    private static BrokerException forbidden(String message) {
        return new BrokerException(Reason.FORBIDDEN, message);
    }
}
