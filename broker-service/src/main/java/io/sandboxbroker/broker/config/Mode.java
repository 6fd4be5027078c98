package io.sandboxbroker.broker.config;

/** Local mode relaxes what only a developer's machine may have: well-known tokens, table creation. */
public enum Mode {
    LOCAL,
    PRODUCTION
}
