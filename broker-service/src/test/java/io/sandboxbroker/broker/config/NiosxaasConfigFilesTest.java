package io.sandboxbroker.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
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
import org.junit.jupiter.api.Test;

/** The {@code niosxaas} section of the shipped YAML files, read as the application reads them. */
class NiosxaasConfigFilesTest {
    private static final Map<String, String> PRODUCTION_SECRETS = Map.of(
            "BROKER_API_TOKEN", "lab-token-long-enough-for-production",
            "BROKER_ADMIN_TOKEN", "admin-token-long-enough-for-production",
            "CSP_API_TOKEN", "csp-token");

    @Test
    void localAndProduction_withoutNiosxaasVariables_areDisabledAndInShadowMode() throws Exception {
        for (String file : new String[] {"local.yml", "production.yml"}) {
            NiosxaasConfig niosxaas = load(file, Map.of()).niosxaas();

            assertThat(niosxaas.enabled()).as(file).isFalse();
            assertThat(niosxaas.shadowMode()).as(file).isTrue();
            assertThat(niosxaas.serviceName()).as(file).isEqualTo("Instrqt-SaaS");
        }
    }

    @Test
    void production_enabledWithCredentials_readsEveryVariable() throws Exception {
        NiosxaasConfig niosxaas = load(
                        "production.yml",
                        Map.of(
                                "NIOSXAAS_ENABLED", "true",
                                "NIOSXAAS_SHADOW_MODE", "true",
                                "NIOSXAAS_BASE_URL", "https://niosxaas.example.test",
                                "NIOSXAAS_EMAIL", "bot@lab.test",
                                "NIOSXAAS_PASSWORD", "p#ss: w*rd!",
                                "NIOSXAAS_SERVICE_NAME", ""))
                .niosxaas();

        assertThat(niosxaas.enabled()).isTrue();
        assertThat(niosxaas.shadowMode()).isTrue();
        assertThat(niosxaas.baseUrl()).isEqualTo("https://niosxaas.example.test");
        assertThat(niosxaas.email()).isEqualTo("bot@lab.test");
        assertThat(niosxaas.password()).isEqualTo("p#ss: w*rd!");
        assertThat(niosxaas.matchesAllServices()).isTrue();
    }

    @Test
    void production_enabledAlone_staysInShadowMode_andOnlyAnExplicitFalseDeletes() throws Exception {
        Map<String, String> enabled =
                Map.of("NIOSXAAS_ENABLED", "true", "NIOSXAAS_EMAIL", "bot@lab.test", "NIOSXAAS_PASSWORD", "secret");
        Map<String, String> deleting = new HashMap<>(enabled);
        deleting.put("NIOSXAAS_SHADOW_MODE", "false");

        assertThat(load("production.yml", enabled).niosxaas().shadowMode()).isTrue();
        assertThat(load("production.yml", deleting).niosxaas().shadowMode()).isFalse();
    }

    @Test
    void production_enabledWithoutPassword_refusesToStart() {
        assertThatThrownBy(() ->
                        load("production.yml", Map.of("NIOSXAAS_ENABLED", "true", "NIOSXAAS_EMAIL", "bot@lab.test")))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("niosxaas")
                .hasMessageContaining("requires non-blank email and password when enabled");
    }

    private static BrokerConfiguration load(String file, Map<String, String> variables) throws Exception {
        Map<String, String> environment = new HashMap<>(PRODUCTION_SECRETS);
        environment.putAll(variables);
        StringSubstitutor strict = new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(environment));
        strict.setEnableUndefinedVariableException(true);
        YamlConfigurationFactory<BrokerConfiguration> factory = new YamlConfigurationFactory<>(
                BrokerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        Path path = Path.of(System.getProperty("broker.root", ".."), "config", file);
        return factory.build(
                new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), strict), path.toString());
    }
}
