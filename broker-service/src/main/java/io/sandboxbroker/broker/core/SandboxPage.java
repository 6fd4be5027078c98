package io.sandboxbroker.broker.core;

import java.util.List;
import java.util.Optional;

/** A page of sandboxes and the opaque cursor of the next one (empty on the last page). */
public record SandboxPage(List<Sandbox> sandboxes, Optional<String> nextCursor) {}
