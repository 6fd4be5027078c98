package io.sandboxbroker.broker.provider;

/** A provider call failed; {@code transient} failures (5xx, timeouts) are worth retrying. */
public final class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean isTransient;

    public ProviderException(String message, boolean isTransient) {
        super(message);
        this.isTransient = isTransient;
    }

    public boolean isTransient() {
        return isTransient;
    }
}
