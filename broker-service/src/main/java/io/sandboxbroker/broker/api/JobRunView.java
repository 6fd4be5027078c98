package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.JobRun;
import java.time.Duration;
import java.util.Map;

/** One run of a job: {@code {run_id, node, started_at, finished_at, outcome, duration_ms, counts}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"run_id", "node", "started_at", "finished_at", "outcome", "duration_ms", "counts"})
public record JobRunView(
        String runId,
        String node,
        Long startedAt,
        Long finishedAt,
        String outcome,
        long durationMs,
        Map<String, Long> counts) {

    public static JobRunView of(JobRun run) {
        return new JobRunView(
                run.runId(),
                run.node(),
                Times.unix(run.startedAt()),
                Times.unix(run.finishedAt()),
                run.outcome(),
                Duration.between(run.startedAt(), run.finishedAt()).toMillis(),
                run.counts());
    }

    /**
     * The body of a run waited for ({@code ?wait=true}): {@code status}, the counts at the top level
     * (e.g. {@code deleted}, {@code failed}) and {@code duration_ms}.
     */
    public record Finished(@JsonIgnore JobRunView run) {
        @JsonAnyGetter
        public Map<String, Object> fields() {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("status", run.outcome());
            fields.put("run_id", run.runId());
            fields.putAll(run.counts());
            if (run.counts().containsKey("listed")) {
                fields.put("synced", run.counts().get("listed"));
            }
            fields.put("duration_ms", run.durationMs());
            return fields;
        }
    }
}
