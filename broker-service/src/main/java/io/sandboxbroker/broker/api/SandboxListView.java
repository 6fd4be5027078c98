package io.sandboxbroker.broker.api;

import io.sandboxbroker.broker.core.SandboxPage;
import java.util.List;

/** Body of {@code GET /v1/admin/sandboxes}: a page and the cursor of the next one (null at the end). */
public record SandboxListView(List<AdminSandboxView> sandboxes, int count, String cursor) {

    public static SandboxListView of(SandboxPage page) {
        List<AdminSandboxView> views =
                page.sandboxes().stream().map(AdminSandboxView::of).toList();
        return new SandboxListView(views, views.size(), page.nextCursor().orElse(null));
    }
}
