package io.sandboxbroker.broker.api;

/** Body of {@code POST /v1/admin/bulk-delete}: how many items left the table. */
public record BulkDeleteView(String status, int deleted) {}
