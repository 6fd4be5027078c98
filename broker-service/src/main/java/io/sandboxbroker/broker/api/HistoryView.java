package io.sandboxbroker.broker.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sandboxbroker.broker.core.HistoryEntry;
import io.sandboxbroker.broker.core.HistoryPage;
import java.util.List;

/** Body of {@code GET /v1/admin/sandboxes/{id}/history}: entries oldest first, and the next page's cursor (null at the end). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HistoryView(String sandboxId, List<Entry> events, int count, String cursor) {

    /** One change; {@code from} is null for a sandbox's first entry. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(
            long at,
            String event,
            String from,
            String to,
            String actor,
            String ref,
            String learner,
            String detail,
            long version) {

        static Entry of(HistoryEntry e) {
            return new Entry(
                    Times.unix(e.at()),
                    e.kind().wire(),
                    e.from() == null ? null : e.from().wire(),
                    e.to().wire(),
                    e.actor(),
                    e.ref(),
                    e.learner(),
                    e.detail(),
                    e.version());
        }
    }

    public static HistoryView of(String sandboxId, HistoryPage page) {
        List<Entry> entries = page.entries().stream().map(Entry::of).toList();
        return new HistoryView(
                sandboxId, entries, entries.size(), page.nextCursor().orElse(null));
    }
}
