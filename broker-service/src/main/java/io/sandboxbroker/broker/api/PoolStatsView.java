package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.CleanupReport;
import io.sandboxbroker.broker.core.PoolStats;
import io.sandboxbroker.broker.core.RetiredTenants;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Body of {@code GET /v1/admin/stats}: counts per status, per status within each name group,
 * NIOSXaaS clean-up outcomes over the last day, and the retired tenants the provider still lists
 * (count, and up to 20 of their ids, as the last sync found them).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PoolStatsView(
        Long computedAt,
        long total,
        Map<String, Long> byStatus,
        Map<String, Map<String, Long>> byGroup,
        Niosxaas niosxaas,
        long retiredStillListed,
        List<String> retiredStillListedSample) {

    /** Clean-up outcomes since {@code since}; {@code pending} = sandboxes waiting for clean-up now. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Niosxaas(long cleaned, long skipped, long failed, long pending, Long since) {}

    public static PoolStatsView of(
            PoolStats stats, CleanupReport.NiosxaasOutcomes niosxaas, RetiredTenants.StillListed stillListed) {
        Map<String, Map<String, Long>> groups = new TreeMap<>();
        stats.byGroup().forEach((group, counts) -> groups.put(group, wire(counts)));
        return new PoolStatsView(
                Times.unix(stats.computedAt()),
                stats.total(),
                wire(stats.byStatus()),
                groups,
                new Niosxaas(
                        niosxaas.cleaned(),
                        niosxaas.skipped(),
                        niosxaas.failed(),
                        niosxaas.pending(),
                        Times.unix(niosxaas.since())),
                stillListed.count(),
                stillListed.sample().stream().map(SandboxId::value).toList());
    }

    private static Map<String, Long> wire(Map<SandboxStatus, Long> counts) {
        Map<String, Long> wire = new LinkedHashMap<>();
        for (SandboxStatus status : SandboxStatus.values()) {
            wire.put(status.wire(), counts.getOrDefault(status, 0L));
        }
        return wire;
    }
}
