package io.sandboxbroker.broker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.sandboxbroker.broker.config.AllocationConfig;
import io.sandboxbroker.broker.config.AuthConfig;
import io.sandboxbroker.broker.config.CleanupConfig;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.config.DynamoConfig;
import io.sandboxbroker.broker.config.EdgeConfig;
import io.sandboxbroker.broker.config.JobsConfig;
import io.sandboxbroker.broker.config.LifecycleConfig;
import io.sandboxbroker.broker.config.Mode;
import io.sandboxbroker.broker.config.NiosxaasConfig;
import io.sandboxbroker.broker.config.PoolsConfig;
import io.sandboxbroker.broker.config.ProcessRole;
import io.sandboxbroker.broker.config.WebhookConfig;
import io.sandboxbroker.broker.core.Webhooks;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The one configuration tree; both roles (API and jobs) read the same file. */
public class BrokerConfiguration extends Configuration {

    @NotNull
    @JsonProperty
    private Mode mode = Mode.PRODUCTION;

    @Valid
    @NotNull
    @JsonProperty
    private DynamoConfig dynamodb;

    @Valid
    @NotNull
    @JsonProperty
    private AuthConfig auth;

    @Valid
    @NotNull
    @JsonProperty
    private AllocationConfig allocation = new AllocationConfig(null, null, null, null, null, 0, null);

    @Valid
    @NotNull
    @JsonProperty
    private CspConfig csp;

    /** NIOSXaaS clean-up before deletes; an absent section means switched off. */
    @Valid
    @NotNull
    @JsonProperty
    private NiosxaasConfig niosxaas = NiosxaasConfig.disabled();

    @Valid
    @NotNull
    @JsonProperty
    private JobsConfig jobs = JobsConfig.defaults();

    /** Set by the command, never by the file: both roles read the same file. */
    private ProcessRole role = ProcessRole.API;

    /** The cleanup job: pacing, retries, circuit breaker. */
    @Valid
    @NotNull
    @JsonProperty
    private CleanupConfig cleanup = CleanupConfig.defaults();

    /** Stale sweep, reconcile, pool statistics and job-run records. */
    @Valid
    @NotNull
    @JsonProperty
    private LifecycleConfig lifecycle = LifecycleConfig.defaults();

    /** Low water (and optional target) per pool; a default for the pools not listed. */
    @Valid
    @NotNull
    @JsonProperty
    private PoolsConfig pools = PoolsConfig.defaultLevels();

    /** Outbound webhooks for operators' events; none when absent. */
    @Valid
    @NotNull
    @JsonProperty
    private List<@Valid WebhookConfig> webhooks = List.of();

    /** Rate limits, CORS, access log and HTTP metrics; defaults when absent (no CORS origins). */
    @Valid
    @NotNull
    @JsonProperty
    private EdgeConfig edge = EdgeConfig.defaults();

    /** Fill the pool from the provider once at start (local runs, before the jobs process exists). */
    @JsonProperty
    private boolean syncOnStart;

    public Mode mode() {
        return mode;
    }

    public DynamoConfig dynamodb() {
        return dynamodb;
    }

    public AuthConfig auth() {
        return auth;
    }

    public AllocationConfig allocation() {
        return allocation;
    }

    public CspConfig csp() {
        return csp;
    }

    public NiosxaasConfig niosxaas() {
        return niosxaas;
    }

    public JobsConfig jobs() {
        return jobs;
    }

    public ProcessRole role() {
        return role;
    }

    void runAs(ProcessRole role) {
        this.role = role;
    }

    public CleanupConfig cleanup() {
        return cleanup;
    }

    public LifecycleConfig lifecycle() {
        return lifecycle;
    }

    public PoolsConfig pools() {
        return pools;
    }

    public Webhooks webhooks() {
        return WebhookConfig.webhooksOf(webhooks);
    }

    public EdgeConfig edge() {
        return edge;
    }

    public boolean syncOnStart() {
        return syncOnStart;
    }
}
