package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.AdminSandboxView;
import io.sandboxbroker.broker.api.HistoryView;
import io.sandboxbroker.broker.api.LearnerLookupView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.core.LearnerId;
import io.sandboxbroker.broker.core.LeaseService;
import io.sandboxbroker.broker.core.QuarantineService;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SupportService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/** Support's look-ups: what happened to a sandbox, and which sandbox a learner had. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Secured(Role.ADMIN)
public final class AdminSupportResource {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;

    private final SupportService support;
    private final LeaseService leases;
    private final QuarantineService quarantines;

    @Inject
    public AdminSupportResource(SupportService support, LeaseService leases, QuarantineService quarantines) {
        this.support = support;
        this.leases = leases;
        this.quarantines = quarantines;
    }

    /**
     * 200 with the sandbox held: available, stale or pending_deletion → quarantined; allocated stays
     * allocated with {@code quarantine_reason}. 400 VALIDATION_ERROR without a reason (1..500
     * printable characters); 404 SANDBOX_NOT_FOUND; 409 INVALID_STATE (already held, deleted, deletion_failed).
     */
    @POST
    @Path("/sandboxes/{id}/quarantine")
    public AdminSandboxView quarantine(@PathParam("id") String id, @QueryParam("reason") String reason) {
        if (reason == null
                || reason.isBlank()
                || reason.length() > QuarantineService.MAX_REASON
                || !reason.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new BrokerException(
                    Reason.VALIDATION_ERROR,
                    "reason is required: 1 to " + QuarantineService.MAX_REASON + " printable characters");
        }
        return AdminSandboxView.of(quarantines.quarantine(new SandboxId(id), reason.trim()));
    }

    /** 200 with the sandbox back on its path (available, stale, pending_deletion, or allocated without the hold); 409 INVALID_STATE unless held. */
    @POST
    @Path("/sandboxes/{id}/release-quarantine")
    public AdminSandboxView releaseQuarantine(@PathParam("id") String id) {
        return AdminSandboxView.of(quarantines.release(new SandboxId(id)));
    }

    /**
     * 200 with the sandbox and its new {@code expires_at} ({@code seconds} added to the later of
     * the old expiry and now; the pool's step without it), not bounded by the pool's lease rules;
     * 404 SANDBOX_NOT_FOUND; 409 INVALID_STATE unless allocated; 400 VALIDATION_ERROR for a bad amount.
     */
    @POST
    @Path("/sandboxes/{id}/extend")
    public AdminSandboxView extend(@PathParam("id") String id, @QueryParam("seconds") String seconds) {
        return AdminSandboxView.of(leases.extendAsAdmin(new SandboxId(id), ExtraTime.parse(seconds)));
    }

    /**
     * 200 with the sandbox's changes, oldest first, also after the sandbox is gone (within the
     * retention); 404 SANDBOX_NOT_FOUND when nothing is known of it; 400 VALIDATION_ERROR for a
     * limit outside 1..100 or a foreign cursor.
     */
    @GET
    @Path("/sandboxes/{id}/history")
    public HistoryView history(
            @PathParam("id") String id, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return HistoryView.of(
                id,
                support.history(
                        new SandboxId(id),
                        limit(limit),
                        Optional.ofNullable(cursor).filter(c -> !c.isEmpty())));
    }

    /** 200 with the learner's claim, sandbox and its history; 404 NOT_FOUND when the learner holds no claim. */
    @GET
    @Path("/learners/{learner_id}")
    public LearnerLookupView learner(@PathParam("learner_id") String learner, @QueryParam("limit") String limit) {
        return LearnerLookupView.of(support.learner(new LearnerId(learner), limit(limit)));
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
