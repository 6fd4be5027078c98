package io.sandboxbroker.broker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.config.NiosxaasConfig;
import io.sandboxbroker.broker.core.CleanupOutcome;
import io.sandboxbroker.broker.support.LogCapture;
import io.sandboxbroker.testkit.provider.Account;
import io.sandboxbroker.testkit.provider.Call;
import io.sandboxbroker.testkit.provider.FakeProvider;
import io.sandboxbroker.testkit.provider.FakeProviderConfig;
import io.sandboxbroker.testkit.provider.ProviderPaths;
import io.sandboxbroker.testkit.provider.RequestMatch;
import io.sandboxbroker.testkit.provider.UniversalService;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NIOSXaaS clean-up client against the fake provider over real HTTP. */
class NiosxaasClientIT {
    private static final String EMAIL = "cleanup-bot@lab.test";
    private static final String PASSWORD = "niosxaas-password-never-logged-5b8e";
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static FakeProvider fake;

    private Account sandbox;

    @BeforeAll
    static void startProvider() {
        fake = FakeProvider.start(FakeProviderConfig.defaults().withNiosxaasUser(EMAIL, PASSWORD));
    }

    @AfterAll
    static void stopProvider() {
        fake.close();
    }

    @BeforeEach
    void resetProvider() {
        fake.reset();
        sandbox = fake.addSandboxes("lab", 1).get(0);
    }

    @Test
    void clean_disabled_returnsDisabledWithoutAnyCall() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        NiosxaasClient client = new NiosxaasClient(NiosxaasConfig.disabled(), JSON);

        CleanupOutcome outcome = client.clean(sandbox.id());

        assertThat(outcome).isEqualTo(CleanupOutcome.disabled());
        assertThat(fake.callCount()).isZero();
        assertThat(fake.services(sandbox.uuid())).hasSize(1);
    }

    @Test
    void clean_enabled_deletesOnlyServicesWithTheConfiguredName() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        UniversalService kept = fake.addService(sandbox.uuid(), "Customer-Service");
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        UniversalService otherSandbox =
                fake.addService(fake.addSandboxes("lab", 1).get(0).uuid(), "Instrqt-SaaS");

        CleanupOutcome outcome =
                client(false, NiosxaasConfig.DEFAULT_SERVICE_NAME).clean(sandbox.id());

        assertThat(outcome).isEqualTo(CleanupOutcome.cleaned(2));
        assertThat(fake.services(sandbox.uuid())).containsExactly(kept);
        assertThat(fake.services(fake.activeSandboxes().get(1).uuid())).containsExactly(otherSandbox);
    }

    @Test
    void clean_emptyServiceName_deletesEveryService() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        fake.addService(sandbox.uuid(), "Customer-Service");
        fake.addService(sandbox.uuid(), "anything");

        CleanupOutcome outcome = client(false, "").clean(sandbox.id());

        assertThat(outcome).isEqualTo(CleanupOutcome.cleaned(3));
        assertThat(fake.services(sandbox.uuid())).isEmpty();
    }

    @Test
    void clean_noMatchingService_isNothingToClean() {
        UniversalService kept = fake.addService(sandbox.uuid(), "Customer-Service");

        CleanupOutcome outcome =
                client(false, NiosxaasConfig.DEFAULT_SERVICE_NAME).clean(sandbox.id());

        assertThat(outcome).isEqualTo(CleanupOutcome.nothingToClean());
        assertThat(fake.services(sandbox.uuid())).containsExactly(kept);
    }

    @Test
    void clean_accountAlreadyGone_isNothingToClean() {
        CleanupOutcome outcome = client(false, "").clean("identity/accounts/" + UUID.randomUUID());

        assertThat(outcome).isEqualTo(CleanupOutcome.nothingToClean());
    }

    @Test
    void clean_shadowMode_logsWhatItWouldDeleteAndDeletesNothing() {
        UniversalService first = fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        UniversalService second = fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        UniversalService other = fake.addService(sandbox.uuid(), "Customer-Service");

        try (LogCapture logs = new LogCapture()) {
            CleanupOutcome outcome =
                    client(true, NiosxaasConfig.DEFAULT_SERVICE_NAME).clean(sandbox.id());

            assertThat(outcome).isEqualTo(CleanupOutcome.shadow(2));
            assertThat(logs.lines())
                    .filteredOn(line -> line.contains("would_delete_service"))
                    .hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains(first.id()))
                    .anySatisfy(line -> assertThat(line).contains(second.id()));
        }
        assertThat(fake.services(sandbox.uuid())).containsExactly(first, second, other);
        assertThat(fake.calls()).extracting(Call::method).doesNotContain("DELETE");
    }

    @Test
    void clean_expiredSession_signsInAgainAndSucceeds() {
        NiosxaasClient client = client(false, NiosxaasConfig.DEFAULT_SERVICE_NAME);
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        assertThat(client.clean(sandbox.id())).isEqualTo(CleanupOutcome.cleaned(1));
        Account next = fake.addSandboxes("lab", 1).get(0);
        fake.addService(next.uuid(), "Instrqt-SaaS");
        fake.expireSessions();

        CleanupOutcome outcome = client.clean(next.id());

        assertThat(outcome).isEqualTo(CleanupOutcome.cleaned(1));
        assertThat(fake.services(next.uuid())).isEmpty();
        assertThat(fake.calls())
                .filteredOn(call -> call.path().equals(ProviderPaths.SIGN_IN))
                .extracting(Call::status)
                .containsExactly(200, 200);
        assertThat(fake.calls())
                .filteredOn(call -> call.path().equals(ProviderPaths.ACCOUNT_SWITCH))
                .extracting(Call::status)
                .containsExactly(200, 401, 200);
    }

    @Test
    void clean_cachedSession_signsInOnceForManySandboxes() {
        NiosxaasClient client = client(false, NiosxaasConfig.DEFAULT_SERVICE_NAME);
        Account next = fake.addSandboxes("lab", 1).get(0);

        client.clean(sandbox.id());
        client.clean(next.id());

        assertThat(fake.calls())
                .filteredOn(call -> call.path().equals(ProviderPaths.SIGN_IN))
                .hasSize(1);
    }

    @Test
    void clean_signInRefused_failsWithoutThrowingOrLeakingThePassword() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        String wrongPassword = "wrong-password-also-secret-e41d";
        NiosxaasConfig config = new NiosxaasConfig(
                true,
                false,
                fake.baseUri().toString(),
                EMAIL,
                wrongPassword,
                null,
                Duration.seconds(5),
                Duration.seconds(5));

        try (LogCapture logs = new LogCapture()) {
            CleanupOutcome outcome = new NiosxaasClient(config, JSON).clean(sandbox.id());

            assertThat(outcome.kind()).isEqualTo(CleanupOutcome.Kind.FAILED);
            assertThat(outcome.detail()).contains("sign-in refused (HTTP 401)").doesNotContain(wrongPassword);
            assertThat(logs.text())
                    .contains("outcome=FAILED")
                    .doesNotContain(wrongPassword)
                    .doesNotContain(PASSWORD);
        }
        assertThat(fake.services(sandbox.uuid())).hasSize(1);
    }

    @Test
    void clean_providerErrors_failWithoutThrowing() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        NiosxaasClient client = client(false, NiosxaasConfig.DEFAULT_SERVICE_NAME);

        fake.failNextWithHtml(RequestMatch.of("POST", ProviderPaths.SIGN_IN), 1);
        CleanupOutcome signInDown = client.clean(sandbox.id());
        fake.failNext(RequestMatch.of("DELETE", ProviderPaths.UNIVERSAL_SERVICES), 1);
        CleanupOutcome deleteDown = client.clean(sandbox.id());
        CleanupOutcome recovered = client.clean(sandbox.id());

        assertThat(signInDown.kind()).isEqualTo(CleanupOutcome.Kind.FAILED);
        assertThat(signInDown.detail()).contains("HTTP 500: HTML error page");
        assertThat(deleteDown.kind()).isEqualTo(CleanupOutcome.Kind.FAILED);
        assertThat(deleteDown.detail()).contains("HTTP 500");
        assertThat(recovered).isEqualTo(CleanupOutcome.cleaned(1));
    }

    @Test
    void clean_answerSlowerThanTheReadTimeout_fails() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        NiosxaasConfig config = new NiosxaasConfig(
                true,
                false,
                fake.baseUri().toString(),
                EMAIL,
                PASSWORD,
                null,
                Duration.seconds(5),
                Duration.milliseconds(300));
        fake.hangNext(RequestMatch.anyMethod(ProviderPaths.UNIVERSAL_SERVICES), 1, java.time.Duration.ofSeconds(5));

        CleanupOutcome outcome = new NiosxaasClient(config, JSON).clean(sandbox.id());

        assertThat(outcome.kind()).isEqualTo(CleanupOutcome.Kind.FAILED);
        assertThat(outcome.detail()).contains("no answer within 300 ms");
    }

    @Test
    void clean_accountFailingAlways_fails() {
        fake.addService(sandbox.uuid(), "Instrqt-SaaS");
        fake.failAlways(sandbox.uuid(), 500);

        CleanupOutcome outcome =
                client(false, NiosxaasConfig.DEFAULT_SERVICE_NAME).clean(sandbox.id());

        assertThat(outcome.kind()).isEqualTo(CleanupOutcome.Kind.FAILED);
        assertThat(fake.services(sandbox.uuid())).hasSize(1);
    }

    private static NiosxaasClient client(boolean shadowMode, String serviceName) {
        return new NiosxaasClient(
                new NiosxaasConfig(
                        true,
                        shadowMode,
                        fake.baseUri().toString(),
                        EMAIL,
                        PASSWORD,
                        serviceName,
                        Duration.seconds(5),
                        Duration.seconds(5)),
                JSON);
    }
}
