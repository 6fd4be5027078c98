package io.sandboxbroker.broker.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.sandboxbroker.broker.auth.TokenRegistry;
import io.sandboxbroker.broker.config.EdgeConfig;
import io.sandboxbroker.broker.edge.RateLimiter;
import io.sandboxbroker.broker.edge.SourceAddress;
import io.sandboxbroker.broker.metrics.HttpMetrics;
import io.sandboxbroker.broker.metrics.PoolGauges;
import io.sandboxbroker.broker.metrics.PrometheusText;
import io.sandboxbroker.broker.resources.AuthFeature;
import io.sandboxbroker.broker.resources.CorsFilter;

/** What the HTTP layer needs beyond the services: tokens, the edge's limits and CORS policy, metrics to serve. */
final class HttpModule extends AbstractModule {
    private final EdgeConfig edge;
    private final TokenRegistry tokens;

    HttpModule(EdgeConfig edge, TokenRegistry tokens) {
        this.edge = edge;
        this.tokens = tokens;
    }

    @Override
    protected void configure() {
        bind(TokenRegistry.class).toInstance(tokens);
        bind(AuthFeature.class).in(Singleton.class);
        bind(PoolGauges.class).in(Singleton.class);
        bind(PrometheusText.class).in(Singleton.class);
        bind(HttpMetrics.class).in(Singleton.class);
    }

    /** One limiter for the address filter and the client filter: they share nothing but the clock. */
    @Provides
    @Singleton
    RateLimiter rateLimiter() {
        return RateLimiter.systemTime(edge.rateLimit().limits());
    }

    @Provides
    @Singleton
    SourceAddress sourceAddress() {
        return new SourceAddress(edge.rateLimit().proxyRanges());
    }

    @Provides
    CorsFilter corsFilter() {
        return new CorsFilter(edge.cors());
    }
}
