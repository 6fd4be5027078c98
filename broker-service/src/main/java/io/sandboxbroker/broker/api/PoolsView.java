package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.PoolHealth;
import io.sandboxbroker.broker.core.PoolLevelService.PoolReport;
import java.util.List;

/**
 * Body of {@code GET /v1/admin/pools}: every pool against its level, empty first, then low, then
 * ok. {@code seconds_to_empty} is null when nothing was allocated in the last hour.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PoolsView(Long computedAt, List<Pool> pools) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pool(
            String group,
            long available,
            long allocated,
            long pendingDeletion,
            long deletionFailed,
            long lowWater,
            Long target,
            long allocationsLastHour,
            Long secondsToEmpty,
            String state) {}

    public static PoolsView of(PoolReport report) {
        return new PoolsView(
                Times.unix(report.computedAt()),
                report.pools().stream().map(PoolsView::pool).toList());
    }

    private static Pool pool(PoolHealth health) {
        return new Pool(
                health.group(),
                health.available(),
                health.allocated(),
                health.pendingDeletion(),
                health.deletionFailed(),
                health.level().lowWater(),
                health.level().target(),
                health.allocationsLastHour(),
                health.secondsToEmpty(),
                health.state().wire());
    }
}
