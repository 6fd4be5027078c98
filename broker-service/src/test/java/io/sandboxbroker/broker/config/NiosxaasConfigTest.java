package io.sandboxbroker.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NiosxaasConfigTest {
    private final Validator validator = Validators.newValidator();

    @Test
    void absentFields_meanDisabledWithSafeDefaults() throws Exception {
        NiosxaasConfig config = Jackson.newObjectMapper().readValue("{}", NiosxaasConfig.class);

        assertThat(config.enabled()).isFalse();
        assertThat(config.shadowMode()).isTrue();
        assertThat(config.serviceName()).isEqualTo("Instrqt-SaaS");
        assertThat(config.baseUrl()).isEqualTo("https://csp.infoblox.com");
        assertThat(config.connectTimeout().toSeconds()).isEqualTo(5);
        assertThat(config.readTimeout().toSeconds()).isEqualTo(15);
        assertThat(validator.validate(config)).isEmpty();
    }

    @Test
    void enabledWithoutShadowMode_startsInShadowMode_untilSwitchedOffExplicitly() throws Exception {
        NiosxaasConfig enabled = Jackson.newObjectMapper().readValue("{\"enabled\": true}", NiosxaasConfig.class);
        NiosxaasConfig switchedOff =
                Jackson.newObjectMapper().readValue("{\"enabled\": true, \"shadowMode\": false}", NiosxaasConfig.class);

        assertThat(enabled.shadowMode()).isTrue();
        assertThat(switchedOff.shadowMode()).isFalse();
    }

    @Test
    void emptyServiceName_staysEmptyAndMeansEveryService() throws Exception {
        NiosxaasConfig config = Jackson.newObjectMapper().readValue("{\"serviceName\": \"\"}", NiosxaasConfig.class);

        assertThat(config.matchesAllServices()).isTrue();
    }

    @Test
    void enabledWithoutCredentials_isRejected() {
        NiosxaasConfig config = new NiosxaasConfig(true, false, null, "bot@lab.test", " ", null, null, null);

        Set<ConstraintViolation<NiosxaasConfig>> violations = validator.validate(config);

        assertThat(violations)
                .extracting(ConstraintViolation::getMessage)
                .containsExactly("requires non-blank email and password when enabled");
    }

    @Test
    void toString_neverShowsThePassword() {
        NiosxaasConfig config =
                new NiosxaasConfig(true, false, null, "bot@lab.test", "hunter2-secret", null, null, null);

        assertThat(config.toString()).doesNotContain("hunter2-secret").contains("password=<redacted>");
    }
}
