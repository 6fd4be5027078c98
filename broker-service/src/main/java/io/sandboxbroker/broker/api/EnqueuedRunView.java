package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of a 202 from {@code POST /v1/admin/sync} or {@code /cleanup}: the run to look for. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnqueuedRunView(String status, String job, String runId) {}
