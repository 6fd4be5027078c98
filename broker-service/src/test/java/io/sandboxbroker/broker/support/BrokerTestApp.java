package io.sandboxbroker.broker.support;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The real application over real HTTP, on the shared dynalite and a table of its own. */
public final class BrokerTestApp {
    public static final String LAB_TOKEN = "test-lab-token";
    public static final String LAB_TOKEN_ROTATED = "test-lab-token-rotated";
    public static final String ADMIN_TOKEN = "test-admin-token";

    private BrokerTestApp() {}

    public static DropwizardAppExtension<BrokerConfiguration> extension(
            Clock clock, String table, ConfigOverride... extra) {
        return extension(clock, table, TestDynamo::endpoint, extra);
    }

    /**
     * On a DynamoDB endpoint of the test's choosing. (Dropwizard applies overrides in no set order,
     * so a key must be overridden once.)
     */
    public static DropwizardAppExtension<BrokerConfiguration> extension(
            Clock clock, String table, Supplier<String> endpoint, ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("dynamodb.endpoint", endpoint),
                ConfigOverride.config("dynamodb.tableName", table),
                ConfigOverride.config("dynamodb.quartzTableName", table + "-quartz")));
        overrides.addAll(List.of(extra));
        return new DropwizardAppExtension<>(
                new DropwizardTestSupport<>(
                        BrokerApplication.class,
                        ResourceHelpers.resourceFilePath("test-broker.yml"),
                        overrides.toArray(ConfigOverride[]::new)) {
                    @Override
                    public Application<BrokerConfiguration> newApplication() {
                        return new BrokerApplication(clock);
                    }
                });
    }

    /** An API on its own table whose provider is the given fake. */
    public static DropwizardAppExtension<BrokerConfiguration> withProvider(String table, FakeProvider provider) {
        return extension(
                Clock.systemUTC(),
                table,
                TestDynamo::endpoint,
                ConfigOverride.config("csp.baseUrl", () -> provider.cspBaseUri().toString()),
                ConfigOverride.config("csp.token", () -> provider.config().cspToken()));
    }

    public static DropwizardAppExtension<BrokerConfiguration> extension(String table, ConfigOverride... extra) {
        return extension(Clock.systemUTC(), table, extra);
    }
}
