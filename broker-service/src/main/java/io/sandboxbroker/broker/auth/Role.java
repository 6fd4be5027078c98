package io.sandboxbroker.broker.auth;

/** Lab scripts and operators hold different tokens; neither works on the other's endpoints. */
public enum Role {
    LAB,
    ADMIN
}
