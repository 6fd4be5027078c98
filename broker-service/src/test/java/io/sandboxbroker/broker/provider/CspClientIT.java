package io.sandboxbroker.broker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.core.DeletionResult;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.support.LogCapture;
import io.sandboxbroker.testkit.provider.Account;
import io.sandboxbroker.testkit.provider.Call;
import io.sandboxbroker.testkit.provider.FakeProvider;
import io.sandboxbroker.testkit.provider.FakeProviderConfig;
import io.sandboxbroker.testkit.provider.ProviderPaths;
import io.sandboxbroker.testkit.provider.RequestMatch;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CSP client against the fake provider over real HTTP. */
class CspClientIT {
    private static final String TOKEN = "csp-token-that-must-stay-secret-7f3a";
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static FakeProvider fake;

    private CspClient client;

    @BeforeAll
    static void startProvider() {
        fake = FakeProvider.start(FakeProviderConfig.defaults().withCspToken(TOKEN));
    }

    @AfterAll
    static void stopProvider() {
        fake.close();
    }

    @BeforeEach
    void resetProvider() {
        fake.reset();
        client = clientWith(TOKEN, Duration.seconds(5));
    }

    @Test
    void activeSandboxes_skipsNonSandboxAndInactiveAccounts() {
        List<Account> sandboxes = fake.addSandboxes("lab-adventure", 3);
        fake.addDistractors();

        List<ProviderSandbox> listed = client.activeSandboxes();

        assertThat(listed)
                .extracting(ProviderSandbox::externalId)
                .containsExactlyElementsOf(sandboxes.stream().map(Account::id).toList());
        Account first = sandboxes.get(0);
        assertThat(listed.get(0)).satisfies(sandbox -> {
            assertThat(sandbox.id().value()).isEqualTo(Long.toString(first.cspId()));
            assertThat(sandbox.name()).isEqualTo("lab-adventure-0001");
            assertThat(sandbox.sfdcAccountId()).isEqualTo(first.sfdcAccountId());
            assertThat(sandbox.createdAt()).isEqualTo(first.createdAt());
        });
    }

    @Test
    void activeSandboxes_pagesCappedBelowTheAskedSize_followsEveryPage() {
        fake.addSandboxes("lab-a", 7);
        fake.addDistractors();
        fake.addSandboxes("lab-b", 6);
        fake.maxPageSize(5);

        List<ProviderSandbox> listed = client.activeSandboxes();

        assertThat(listed).hasSize(13).extracting(ProviderSandbox::externalId).doesNotHaveDuplicates();
        assertThat(listed).extracting(ProviderSandbox::name).contains("lab-a-0007", "lab-b-0006");
        long listings = fake.calls().stream()
                .filter(call -> call.path().equals(ProviderPaths.ACCOUNTS))
                .count();
        assertThat(listings).as("17 accounts in pages of 5, then an empty page").isEqualTo(5);
    }

    @Test
    void activeSandboxes_providerFailing_throwsTransientProviderException() {
        fake.addSandboxes("lab", 2);
        fake.failNext(RequestMatch.of("GET", ProviderPaths.ACCOUNTS), 1);

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> client.activeSandboxes());

        assertThat(failure.isTransient()).isTrue();
        assertThat(failure.getMessage()).contains("HTTP 500");
    }

    @Test
    void delete_existingSandbox_isGoneAndTheAccountIsDeleted() {
        Account account = fake.addSandboxes("lab", 1).get(0);

        DeletionResult result = client.delete(account.id());

        assertThat(result.kind()).isEqualTo(DeletionResult.Kind.GONE);
        assertThat(fake.account(account.uuid())).isEmpty();
        assertThat(fake.successfulDeletes(account.uuid())).isEqualTo(1);
        assertThat(fake.calls(account.uuid()))
                .extracting(Call::method, Call::path)
                .containsExactly(tuple("DELETE", ProviderPaths.SANDBOX_ACCOUNTS + account.uuid()));
    }

    @Test
    void delete_unknownSandbox_isGoneBecauseTheProviderSays404() {
        DeletionResult result = client.delete("identity/accounts/" + UUID.randomUUID());

        assertThat(result.kind()).isEqualTo(DeletionResult.Kind.GONE);
        assertThat(result.detail()).contains("404");
    }

    @Test
    void delete_burstOf500s_isTransientUntilTheBurstEnds() {
        Account account = fake.addSandboxes("lab", 1).get(0);
        fake.failNext(RequestMatch.sandboxDeletes(), 2);

        DeletionResult first = client.delete(account.id());
        DeletionResult second = client.delete(account.id());
        DeletionResult third = client.delete(account.id());

        assertThat(first.kind()).isEqualTo(DeletionResult.Kind.TRANSIENT);
        assertThat(first.detail()).isEqualTo("HTTP 500: internal server error");
        assertThat(second.kind()).isEqualTo(DeletionResult.Kind.TRANSIENT);
        assertThat(third.kind()).isEqualTo(DeletionResult.Kind.GONE);
        assertThat(fake.account(account.uuid())).isEmpty();
    }

    @Test
    void delete_htmlErrorPageInsideJson_isTransientWithoutTheHtml() {
        Account account = fake.addSandboxes("lab", 1).get(0);
        fake.failNextWithHtml(RequestMatch.sandboxDeletes(), 1);

        DeletionResult result = client.delete(account.id());

        assertThat(result.kind()).isEqualTo(DeletionResult.Kind.TRANSIENT);
        assertThat(result.detail()).isEqualTo("HTTP 500: HTML error page").doesNotContain("<");
        assertThat(fake.account(account.uuid())).isPresent();
    }

    @Test
    void delete_answerSlowerThanTheReadTimeout_isTransient() {
        Account account = fake.addSandboxes("lab", 1).get(0);
        CspClient impatient = clientWith(TOKEN, Duration.milliseconds(300));
        fake.hangNext(RequestMatch.sandboxDeletes(), 1, java.time.Duration.ofSeconds(5));

        DeletionResult result = impatient.delete(account.id());

        assertThat(result.kind()).isEqualTo(DeletionResult.Kind.TRANSIENT);
        assertThat(result.detail()).contains("no answer within 300 ms");
    }

    @Test
    void delete_providerUnreachable_isTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CspClient nowhere = new CspClient(
                new CspConfig(
                        "http://127.0.0.1:" + closedPort + "/v2", TOKEN, Duration.seconds(1), Duration.seconds(1)),
                JSON);

        DeletionResult result = nowhere.delete("identity/accounts/" + UUID.randomUUID());

        assertThat(result.kind()).isEqualTo(DeletionResult.Kind.TRANSIENT);
        assertThat(result.detail()).contains("CSP DELETE failed");
    }

    @Test
    void delete_refusedForTheAccount_isPermanent() {
        Account account = fake.addSandboxes("lab", 1).get(0);
        fake.failAlways(account.uuid(), 400);

        DeletionResult result = client.delete(account.id());

        assertThat(result.kind()).isEqualTo(DeletionResult.Kind.PERMANENT);
        assertThat(result.detail()).startsWith("HTTP 400");
        assertThat(fake.account(account.uuid())).isPresent();
    }

    @Test
    void delete_externalIdOfAnotherShape_isPermanentWithoutACall() {
        assertThat(client.delete("identity/users/abc").kind()).isEqualTo(DeletionResult.Kind.PERMANENT);
        assertThat(client.delete("identity/accounts/../users").kind()).isEqualTo(DeletionResult.Kind.PERMANENT);
        assertThat(client.delete("identity/accounts/").kind()).isEqualTo(DeletionResult.Kind.PERMANENT);
        assertThat(client.delete(null).kind()).isEqualTo(DeletionResult.Kind.PERMANENT);
        assertThat(fake.callCount()).isZero();
    }

    @Test
    void wrongToken_neverAppearsInExceptionsResultsOrLogs() {
        String wrongToken = "wrong-csp-token-do-not-print-91c2";
        Account account = fake.addSandboxes("lab", 1).get(0);
        CspClient wrong = clientWith(wrongToken, Duration.seconds(5));

        try (LogCapture logs = new LogCapture()) {
            ProviderException listing = catchThrowableOfType(ProviderException.class, () -> wrong.activeSandboxes());
            DeletionResult refused = wrong.delete(account.id());
            DeletionResult deleted = client.delete(account.id());

            assertThat(listing.isTransient()).isFalse();
            assertThat(listing.getMessage()).contains("HTTP 401").doesNotContain(wrongToken);
            assertThat(listing).hasNoCause();
            assertThat(refused.kind()).isEqualTo(DeletionResult.Kind.PERMANENT);
            assertThat(refused.detail()).contains("HTTP 401").doesNotContain(wrongToken);
            assertThat(deleted.kind()).isEqualTo(DeletionResult.Kind.GONE);
            assertThat(logs.lines()).isNotEmpty();
            assertThat(logs.text()).doesNotContain(wrongToken).doesNotContain(TOKEN);
        }
    }

    private static CspClient clientWith(String token, Duration readTimeout) {
        return new CspClient(
                new CspConfig(fake.cspBaseUri().toString(), token, Duration.seconds(5), readTimeout), JSON);
    }
}
