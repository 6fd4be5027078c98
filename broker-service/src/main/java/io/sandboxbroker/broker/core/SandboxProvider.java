package io.sandboxbroker.broker.core;

import java.util.List;

/** Port: the cloud portal that creates and deletes sandboxes. */
public interface SandboxProvider {

    /** Every active sandbox account, all pages. */
    List<ProviderSandbox> activeSandboxes();
}
