package io.sandboxbroker.broker.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** Bearer tokens per role: lab scripts and operators never share one. */
public record AuthConfig(
        @NotNull @Valid List<TokenConfig> labTokens,
        @NotNull @Valid List<TokenConfig> adminTokens) {}
