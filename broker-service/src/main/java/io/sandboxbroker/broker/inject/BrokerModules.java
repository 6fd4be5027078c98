package io.sandboxbroker.broker.inject;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.auth.TokenRegistry;
import java.time.Clock;

/**
 * The one place that installs every area's module. Storage comes first, in an injector of its
 * own, so that start-up can create local tables before anything that needs them is built in the
 * application's child injector (the scheduler checks its table when it is made, and production
 * injectors make every singleton at once).
 */
public final class BrokerModules {
    private BrokerModules() {}

    /** The DynamoDB client and the storage ports, with the metrics they report to. */
    public static Module storage(BrokerConfiguration config, MetricRegistry metrics, Clock clock) {
        return new Storage(config, metrics, clock);
    }

    /** Everything else: the domain, the provider, the jobs, the HTTP layer. */
    public static Module application(BrokerConfiguration config, ObjectMapper json, TokenRegistry tokens) {
        return new Application(config, json, tokens);
    }

    private static final class Storage extends AbstractModule {
        private final BrokerConfiguration config;
        private final MetricRegistry metrics;
        private final Clock clock;

        Storage(BrokerConfiguration config, MetricRegistry metrics, Clock clock) {
            this.config = config;
            this.metrics = metrics;
            this.clock = clock;
        }

        @Override
        protected void configure() {
            binder().requireAtInjectOnConstructors();
            binder().disableCircularProxies();
            bind(Clock.class).toInstance(clock);
            install(new MetricsModule(metrics));
            install(new StorageModule(config));
        }
    }

    private static final class Application extends AbstractModule {
        private final BrokerConfiguration config;
        private final ObjectMapper json;
        private final TokenRegistry tokens;

        Application(BrokerConfiguration config, ObjectMapper json, TokenRegistry tokens) {
            this.config = config;
            this.json = json;
            this.tokens = tokens;
        }

        @Override
        protected void configure() {
            install(new DomainModule(config));
            install(new ProviderModule(config, json));
            install(new JobsModule(config));
            install(new HttpModule(config.edge(), tokens));
        }
    }
}
