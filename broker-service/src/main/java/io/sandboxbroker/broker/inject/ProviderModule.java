package io.sandboxbroker.broker.inject;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.config.BreakerConfig;
import io.sandboxbroker.broker.core.SandboxCleaner;
import io.sandboxbroker.broker.core.SandboxProvider;
import io.sandboxbroker.broker.core.WebhookSender;
import io.sandboxbroker.broker.metrics.MetricNames;
import io.sandboxbroker.broker.provider.BreakingProvider;
import io.sandboxbroker.broker.provider.CspClient;
import io.sandboxbroker.broker.provider.HttpWebhookSender;
import io.sandboxbroker.broker.provider.NiosxaasClient;
import java.time.Clock;
import java.util.Locale;

/** The outbound HTTP ports: the CSP (deletes behind a circuit breaker), NIOSXaaS clean-up, webhooks. */
final class ProviderModule extends AbstractModule {
    static final String BREAKER_STATE = "broker_cleanup_breaker_state";
    private final BrokerConfiguration config;
    private final ObjectMapper json;

    ProviderModule(BrokerConfiguration config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /**
     * The CSP behind a circuit breaker on deletes, timed by the application clock; its state as
     * {@code broker_cleanup_breaker_state{state=closed|open|half_open}} (1 for the current one).
     */
    @Provides
    @Singleton
    SandboxProvider provider(Clock clock, MetricRegistry metrics) {
        BreakerConfig breaker = config.cleanup().breaker();
        CircuitBreaker circuit = CircuitBreaker.of(
                "provider-delete",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(breaker.windowSize())
                        .minimumNumberOfCalls(breaker.minimumCalls())
                        .failureRateThreshold(breaker.failureRatePercent())
                        .waitDurationInOpenState(breaker.openFor().toJavaDuration())
                        .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                        .clock(clock)
                        .build());
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {
            CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN
        }) {
            metrics.gauge(
                    MetricNames.labelled(BREAKER_STATE, "state", state.name().toLowerCase(Locale.ROOT)),
                    () -> (Gauge<Integer>) () -> circuit.getState() == state ? 1 : 0);
        }
        return new BreakingProvider(new CspClient(config.csp(), json), circuit);
    }

    @Provides
    @Singleton
    SandboxCleaner cleaner() {
        return new NiosxaasClient(config.niosxaas(), json);
    }

    @Provides
    @Singleton
    WebhookSender webhookSender() {
        return new HttpWebhookSender(json);
    }
}
