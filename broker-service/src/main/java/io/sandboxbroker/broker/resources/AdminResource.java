package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.AdminSandboxView;
import io.sandboxbroker.broker.api.BulkDeleteView;
import io.sandboxbroker.broker.api.PoolStatsView;
import io.sandboxbroker.broker.api.PoolsView;
import io.sandboxbroker.broker.api.SandboxListView;
import io.sandboxbroker.broker.api.TracksView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.CleanupReport;
import io.sandboxbroker.broker.core.PoolLevelService;
import io.sandboxbroker.broker.core.PoolService;
import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import io.sandboxbroker.broker.core.UsageService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/** Operators' reads and repairs of the pool. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Secured(Role.ADMIN)
public final class AdminResource {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;

    private final PoolService pool;
    private final CleanupReport cleanups;
    private final PoolLevelService levels;
    private final UsageService usage;

    @Inject
    public AdminResource(PoolService pool, CleanupReport cleanups, PoolLevelService levels, UsageService usage) {
        this.pool = pool;
        this.cleanups = cleanups;
        this.levels = levels;
        this.usage = usage;
    }

    /** 200 with a page; 400 VALIDATION_ERROR for an unknown status, a limit outside 1..100 or a foreign cursor. */
    @GET
    @Path("/sandboxes")
    public SandboxListView list(
            @QueryParam("status") String status,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return SandboxListView.of(pool.list(
                optionalStatus(status),
                limit(limit),
                Optional.ofNullable(cursor).filter(c -> !c.isEmpty())));
    }

    /**
     * 200 with counts per status and per name group, NIOSXaaS clean-up outcomes of the last day and
     * the retired tenants the provider still lists.
     */
    @GET
    @Path("/stats")
    public PoolStatsView stats() {
        PoolStats stats = pool.stats();
        return PoolStatsView.of(stats, cleanups.niosxaas(stats), pool.retiredStillListed());
    }

    /** 200 with every pool against its low water, empty pools first, then low ones. */
    @GET
    @Path("/pools")
    public PoolsView pools() {
        return PoolsView.of(levels.report());
    }

    /** 200 with allocations per track over 24 h and 7 d and the mean time to release, busiest first. */
    @GET
    @Path("/tracks")
    public TracksView tracks() {
        return TracksView.of(usage.tracks());
    }

    /**
     * 200 with the sandbox, now pending_deletion; 404 SANDBOX_NOT_FOUND for an unknown id; 409
     * INVALID_STATE unless it is deletion_failed; 400 VALIDATION_ERROR for a malformed id.
     */
    @POST
    @Path("/sandboxes/{id}/retry-deletion")
    public AdminSandboxView retryDeletion(@PathParam("id") String id) {
        return AdminSandboxView.of(pool.retryDeletion(new SandboxId(id)));
    }

    /** 200 with the number removed from the table; 400 unless status is stale or deletion_failed. */
    @POST
    @Path("/bulk-delete")
    public BulkDeleteView bulkDelete(@QueryParam("status") String status) {
        SandboxStatus parsed = optionalStatus(status)
                .orElseThrow(() ->
                        new BrokerException(Reason.VALIDATION_ERROR, "status is required: stale or deletion_failed"));
        return new BulkDeleteView(parsed.wire(), pool.bulkDelete(parsed));
    }

    private static Optional<SandboxStatus> optionalStatus(String status) {
        if (status == null || status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                SandboxStatus.parse(status)
                        .orElseThrow(
                                () -> new BrokerException(
                                        Reason.VALIDATION_ERROR,
                                        "status must be one of available, allocated, pending_deletion, deleted, deletion_failed, stale, quarantined")));
    }

    private static int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int parsed = Integer.parseInt(limit);
            if (parsed >= 1 && parsed <= MAX_LIMIT) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the same answer as an out-of-range number
        }
        throw new BrokerException(Reason.VALIDATION_ERROR, "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
