package io.sandboxbroker.broker.resources;

import io.sandboxbroker.broker.api.EnqueuedRunView;
import io.sandboxbroker.broker.api.JobRunView;
import io.sandboxbroker.broker.api.JobsView;
import io.sandboxbroker.broker.auth.Role;
import io.sandboxbroker.broker.auth.Secured;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.core.JobRun;
import io.sandboxbroker.broker.jobs.BrokerJob;
import io.sandboxbroker.broker.jobs.JobQueue;
import io.sandboxbroker.broker.jobs.JobsOverview;
import io.sandboxbroker.jobs.store.cluster.ClusterNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.quartz.SchedulerException;

/** Operators' view of the background jobs, and runs on demand through the cluster. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Secured(Role.ADMIN)
public final class AdminJobsResource {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final JobQueue queue;
    private final JobsOverview overview;

    @Inject
    public AdminJobsResource(JobQueue queue, JobsOverview overview) {
        this.queue = queue;
        this.overview = overview;
    }

    /**
     * 202 with the run id; a jobs process runs it within its idle wait. With {@code ?wait=true},
     * 200 with the finished run's counts (e.g. {@code synced}, {@code marked_stale}), or 202 if it
     * has not finished within 30 s.
     */
    @POST
    @Path("/sync")
    public Response sync(@QueryParam("wait") String wait) {
        return enqueue(BrokerJob.SYNC, wait);
    }

    /** Like sync: counts {@code deleted}, {@code failed}, … when waited for. */
    @POST
    @Path("/cleanup")
    public Response cleanup(@QueryParam("wait") String wait) {
        return enqueue(BrokerJob.CLEANUP, wait);
    }

    /** 200 with each job's schedule and next firing, and the cluster's nodes with their last check-in. */
    @GET
    @Path("/jobs")
    public JobsView jobs() throws SchedulerException {
        return view(overview.jobs(), overview.nodes());
    }

    /** The scheduler's and the cluster's view, in the API's shape. */
    private static JobsView view(List<JobsOverview.JobState> jobs, List<ClusterNode> nodes) {
        return new JobsView(
                jobs.stream()
                        .map(j -> JobsView.Job.of(
                                j.job().wire(),
                                j.schedule(),
                                j.nextFireTime(),
                                j.lastRuns().stream().map(JobRunView::of).toList()))
                        .toList(),
                nodes.stream()
                        .map(node -> JobsView.Node.of(
                                node.instanceId(), node.lastCheckin(), node.checkinInterval(), node.alive()))
                        .toList());
    }

    private Response enqueue(BrokerJob job, String wait) {
        boolean waitForIt = wait != null && !wait.isEmpty();
        if (waitForIt && !wait.equals("true") && !wait.equals("false")) {
            throw new BrokerException(BrokerException.Reason.VALIDATION_ERROR, "wait must be true or false");
        }
        String runId = queue.enqueue(job);
        if (waitForIt && wait.equals("true")) {
            Optional<JobRun> finished = queue.await(job, runId, WAIT);
            if (finished.isPresent()) {
                return Response.ok(new JobRunView.Finished(JobRunView.of(finished.get())))
                        .build();
            }
        }
        return Response.accepted(new EnqueuedRunView("queued", job.wire(), runId))
                .build();
    }
}
