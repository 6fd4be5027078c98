package io.sandboxbroker.broker.core;

import java.util.List;
import java.util.Optional;

/** Some of a sandbox's history, oldest first, and where the next page starts (empty on the last page). */
public record HistoryPage(List<HistoryEntry> entries, Optional<String> nextCursor) {}
