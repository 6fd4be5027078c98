package io.sandboxbroker.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.sandboxbroker.broker.core.EventType;
import io.sandboxbroker.broker.core.PoolLevel;
import io.sandboxbroker.broker.core.PoolLevels;
import io.sandboxbroker.broker.core.Webhooks;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pool levels and webhooks as the YAML gives them: defaults, per pool, and what start-up refuses. */
class PoolsAndWebhooksConfigTest {
    private final Validator validator = Validators.newValidator();

    private static <T> T read(String json, Class<T> type) throws Exception {
        return Jackson.newObjectMapper().readValue(json, type);
    }

    @Test
    void pools_absent_everyPoolLowBelowTen_listedOnesTheirOwn() throws Exception {
        assertThat(PoolsConfig.defaultLevels().levels()).isEqualTo(PoolLevels.defaults());
        PoolsConfig config = read(
                "{\"defaults\": {\"lowWater\": 5},"
                        + " \"groups\": {\"lab-adventure\": {\"lowWater\": 50, \"target\": 200}}}",
                PoolsConfig.class);

        assertThat(validator.validate(config)).isEmpty();
        assertThat(config.levels().of("lab-adventure")).isEqualTo(new PoolLevel(50, 200L));
        assertThat(config.levels().of("lab-other")).isEqualTo(new PoolLevel(5, null));
    }

    @Test
    void pools_targetBelowLowWater_orNegativeLowWater_refused() throws Exception {
        PoolsConfig config = read(
                "{\"groups\": {\"lab-a\": {\"lowWater\": 50, \"target\": 20}," + " \"lab-b\": {\"lowWater\": -1}}}",
                PoolsConfig.class);

        Set<ConstraintViolation<PoolsConfig>> violations = validator.validate(config);

        assertThat(violations)
                .extracting(ConstraintViolation::getMessage)
                .contains("target must be at least lowWater")
                .hasSize(2);
    }

    @Test
    void webhook_valid_becomesAWebhookForItsEvents_andNeverPrintsItsSecret() throws Exception {
        WebhookConfig hook = read(
                "{\"name\": \"ops\", \"url\": \"https://hooks.example.com/x\","
                        + " \"secret\": \"sixteen-chars-or-more\", \"events\": [\"pool.low\", \"sandbox.deletion_failed\"]}",
                WebhookConfig.class);

        assertThat(validator.validate(hook)).isEmpty();
        Webhooks webhooks = WebhookConfig.webhooksOf(List.of(hook));
        assertThat(webhooks.named("ops").orElseThrow().events())
                .containsExactlyInAnyOrder(EventType.POOL_LOW, EventType.SANDBOX_DELETION_FAILED);
        assertThat(hook.toString()).doesNotContain("sixteen-chars-or-more");
        assertThat(webhooks.toString()).doesNotContain("sixteen-chars-or-more");
    }

    @Test
    void webhook_shortSecret_unknownEvent_relativeUrl_refused() throws Exception {
        WebhookConfig hook = read(
                "{\"name\": \"ops\", \"url\": \"/relative\", \"secret\": \"short\","
                        + " \"events\": [\"pool.drained\"]}",
                WebhookConfig.class);

        assertThat(validator.validate(hook))
                .extracting(ConstraintViolation::getPropertyPath)
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("secret", "urlValid", "eventsKnown");
    }
}
