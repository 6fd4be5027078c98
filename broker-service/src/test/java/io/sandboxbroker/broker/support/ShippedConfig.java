package io.sandboxbroker.broker.support;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.sandboxbroker.broker.BrokerConfiguration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;

/** A YAML file of {@code config/}, read as the application reads it, with the given environment. */
public final class ShippedConfig {
    /** The secrets production.yml has no default for (strict substitution stops without them). */
    public static final Map<String, String> PRODUCTION_SECRETS = Map.of(
            "BROKER_API_TOKEN", "lab-token-long-enough-for-production",
            "BROKER_ADMIN_TOKEN", "admin-token-long-enough-for-production",
            "CSP_API_TOKEN", "csp-token");

    private ShippedConfig() {}

    /** {@code config/production.yml} with nothing set but the secrets: the production defaults. */
    public static BrokerConfiguration productionDefaults() {
        return load("production.yml", PRODUCTION_SECRETS);
    }

    public static BrokerConfiguration load(String file, Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(variables);
        StringSubstitutor strict = new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(environment));
        strict.setEnableUndefinedVariableException(true);
        YamlConfigurationFactory<BrokerConfiguration> factory = new YamlConfigurationFactory<>(
                BrokerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        Path path = Path.of(System.getProperty("broker.root", ".."), "config", file);
        try {
            return factory.build(
                    new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), strict), path.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
