package io.sandboxbroker.testkit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallRecordTest {
    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");

    private final FakeProvider provider =
            FakeProvider.start(FakeProviderConfig.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    private final WireClient csp = WireClient.csp(provider);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void calls_recordMethodPathAccountTimestampAndStatus() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);

        csp.get(ProviderPaths.ACCOUNTS);
        csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid());

        assertThat(provider.calls())
                .containsExactly(
                        new Call("GET", ProviderPaths.ACCOUNTS, Optional.empty(), NOW, NOW, 200),
                        new Call(
                                "DELETE",
                                ProviderPaths.SANDBOX_ACCOUNTS + account.uuid(),
                                Optional.of(account.uuid()),
                                NOW,
                                NOW,
                                204));
        assertThat(account.createdAt()).isEqualTo(NOW);
    }

    @Test
    void callsPerAccount_countFailuresAndSuccessfulDeletesSeparately() throws Exception {
        List<Account> accounts = provider.addSandboxes("lab-start", 2);
        String uuid = accounts.get(0).uuid();
        provider.failNext(RequestMatch.sandboxDeletes(), 2);

        for (int i = 0; i < 4; i++) {
            csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + uuid);
        }
        csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + accounts.get(1).uuid());

        assertThat(provider.calls(uuid)).extracting(Call::status).containsExactly(500, 500, 204, 404);
        assertThat(provider.successfulDeletes(uuid)).isEqualTo(1);
        assertThat(provider.successfulDeletes(accounts.get(1).uuid())).isEqualTo(1);
        assertThat(provider.callCount()).isEqualTo(5);
    }

    @Test
    void calls_recordAuthFailuresAndNiosxaasAccount() throws Exception {
        Account account = provider.addSandboxes("lab-start", 1).get(0);
        WireClient.anonymous(provider).get(ProviderPaths.ACCOUNTS);
        String jwt = WireClient.anonymous(provider)
                .post(ProviderPaths.SIGN_IN, """
                {"email":"%s","password":"%s"}""".formatted(
                        FakeProviderConfig.DEFAULT_NIOSXAAS_EMAIL, FakeProviderConfig.DEFAULT_NIOSXAAS_PASSWORD))
                .json()
                .path("jwt")
                .asText();
        WireClient.bearer(provider, jwt).post(ProviderPaths.ACCOUNT_SWITCH, """
                {"id":"identity/accounts/%s"}""".formatted(account.uuid()));

        assertThat(provider.calls())
                .extracting(Call::path, Call::status)
                .containsExactly(
                        tuple(ProviderPaths.ACCOUNTS, 401),
                        tuple(ProviderPaths.SIGN_IN, 200),
                        tuple(ProviderPaths.ACCOUNT_SWITCH, 200));
        assertThat(provider.calls(account.uuid())).extracting(Call::path).containsExactly(ProviderPaths.ACCOUNT_SWITCH);
    }

    @Test
    void resetAndClearCalls_forgetTheRecord() throws Exception {
        csp.get(ProviderPaths.ACCOUNTS);
        provider.clearCalls();
        assertThat(provider.callCount()).isZero();

        csp.get(ProviderPaths.ACCOUNTS);
        provider.reset();
        assertThat(provider.calls()).isEmpty();
    }
}
