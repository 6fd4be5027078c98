package io.sandboxbroker.broker.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sandboxbroker.broker.core.DeletionResult;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.SandboxProvider;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker around the provider's deletes. Transient failures (5xx, timeouts) count as
 * failures; gone and permanent answers count as successes, since the provider answered. While the
 * breaker is open a delete is not sent and comes back {@code NOT_ATTEMPTED}, which the cleanup
 * treats as "leave the sandbox as it is" — never as an attempt or a failure.
 *
 * <p>It decorates the port outside {@code core} so that the domain knows only that a delete may be
 * declined, not which library decides it. Listing is not guarded: sync runs rarely and fails whole.
 */
public final class BreakingProvider implements SandboxProvider {
    private static final Logger LOG = LoggerFactory.getLogger(BreakingProvider.class);

    /** Carries a transient failure into the breaker's statistics; never thrown. */
    private static final class TransientDeleteFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransientDeleteFailure(String detail) {
            super(detail, null, false, false);
        }
    }

    private final SandboxProvider delegate;
    private final CircuitBreaker breaker;

    public BreakingProvider(SandboxProvider delegate, CircuitBreaker breaker) {
        this.delegate = delegate;
        this.breaker = breaker;
        breaker.getEventPublisher()
                .onStateTransition(
                        event -> LOG.warn("action=provider_circuit transition={}", event.getStateTransition()));
    }

    @Override
    public List<ProviderSandbox> activeSandboxes() {
        return delegate.activeSandboxes();
    }

    @Override
    public DeletionResult delete(String externalId) {
        if (!breaker.tryAcquirePermission()) {
            return DeletionResult.notAttempted(
                    "circuit breaker " + breaker.getState().name().toLowerCase(java.util.Locale.ROOT));
        }
        long start = System.nanoTime();
        DeletionResult result;
        try {
            result = delegate.delete(externalId);
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        if (result.kind() == DeletionResult.Kind.TRANSIENT) {
            breaker.onError(
                    System.nanoTime() - start, TimeUnit.NANOSECONDS, new TransientDeleteFailure(result.detail()));
        } else {
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /**
     * Whether a delete would be sent now. Asking the breaker for a permission is what moves it from
     * open to half-open once the wait is over, so the permission is taken and handed straight back.
     */
    @Override
    public boolean acceptsDeletes() {
        if (breaker.tryAcquirePermission()) {
            breaker.releasePermission();
            return true;
        }
        return false;
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }
}
