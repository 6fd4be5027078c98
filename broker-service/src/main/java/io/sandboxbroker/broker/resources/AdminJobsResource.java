package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.EnqueuedRunView;
import io.sandboxbroker.broker.api.JobsView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.jobs.BrokerJob;
import io.sandboxbroker.broker.jobs.JobQueue;
import io.sandboxbroker.broker.jobs.JobsOverview;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.quartz.SchedulerException;

/** Operators' view of the background jobs, and runs on demand through the cluster. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Secured(Role.ADMIN)
public final class AdminJobsResource {
    private final JobQueue queue;
    private final JobsOverview overview;

    @Inject
    public AdminJobsResource(JobQueue queue, JobsOverview overview) {
        this.queue = queue;
        this.overview = overview;
    }

    /** 202 with the run id; a jobs process runs it within its idle wait. */
    @POST
    @Path("/sync")
    public Response sync() {
        return enqueued(BrokerJob.SYNC);
    }

    /** 200 with each job's schedule and next firing, and the cluster's nodes with their last check-in. */
    @GET
    @Path("/jobs")
    public JobsView jobs() throws SchedulerException {
        return JobsView.of(overview.jobs(), overview.nodes());
    }

    private Response enqueued(BrokerJob job) {
        String runId = queue.enqueue(job);
        return Response.accepted(new EnqueuedRunView("queued", job.wire(), runId)).build();
    }
}
