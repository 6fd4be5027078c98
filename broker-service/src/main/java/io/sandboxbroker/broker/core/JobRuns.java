package io.sandboxbroker.broker.core;

import java.util.List;

/** Port: the record of background job runs. */
public interface JobRuns {

    void record(JobRun run);

    /** The job's most recent runs, newest first. */
    List<JobRun> recent(String job, int limit);
}
