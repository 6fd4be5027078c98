package io.sandboxbroker.testkit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultsTest {
    /** Longer than any test runs: hung requests are abandoned when the provider closes. */
    private static final Duration FOREVER = Duration.ofSeconds(60);

    private static final Duration SHORT_READ_TIMEOUT = Duration.ofMillis(300);

    private final FakeProvider provider = FakeProvider.start();
    private final WireClient csp = WireClient.csp(provider);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void failNext_threeMatchingRequests_failExactlyThreeThenSucceed() throws Exception {
        provider.addSandboxes("lab-adventure", 1);
        provider.failNext(RequestMatch.of("GET", ProviderPaths.ACCOUNTS), 3);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(csp.get(ProviderPaths.ACCOUNTS).status());
        }

        assertThat(statuses).containsExactly(500, 500, 500, 200, 200);
    }

    @Test
    void failNext_onlyConsumedByMatchingMethodAndPrefix() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);
        provider.failNext(RequestMatch.sandboxDeletes(), 1);

        assertThat(csp.get(ProviderPaths.ACCOUNTS).status()).isEqualTo(200);
        assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid()).status())
                .isEqualTo(500);
        assertThat(provider.account(account.uuid()))
                .as("a failed delete deletes nothing")
                .isPresent();
        assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid()).status())
                .isEqualTo(204);
    }

    @Test
    void failNextWithHtml_answers500WithHtmlPageInsideJson() throws Exception {
        provider.failNextWithHtml(RequestMatch.any(), 1);

        WireClient.Response response = csp.get(ProviderPaths.ACCOUNTS);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().path("error").asText())
                .isEqualTo("<html><body><h1>502 Bad Gateway</h1></body></html>");
    }

    @Test
    void failNext_withStatusAndMessage_answersThem() throws Exception {
        provider.failNext(RequestMatch.any(), 1, 503, "maintenance");

        WireClient.Response response = csp.get(ProviderPaths.ACCOUNTS);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().path("error").asText()).isEqualTo("maintenance");
    }

    @Test
    void failAlways_account_failsEveryDeleteOfItButNotOthers() throws Exception {
        List<Account> accounts = provider.addSandboxes("lab-start", 3);
        String broken = accounts.get(0).uuid();
        String refused = accounts.get(1).uuid();
        provider.failAlways(broken, 500);
        provider.failAlways(refused, 400);

        for (int i = 0; i < 3; i++) {
            assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + broken).status())
                    .isEqualTo(500);
            assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + refused).status())
                    .isEqualTo(400);
        }
        assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + accounts.get(2).uuid())
                        .status())
                .isEqualTo(204);

        provider.stopFailing(broken);
        assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + broken).status()).isEqualTo(204);
    }

    @Test
    void hangNext_clientWithShortReadTimeout_timesOutAndNextRequestIsAnswered() throws Exception {
        provider.hangNext(RequestMatch.of("GET", ProviderPaths.ACCOUNTS), 1, FOREVER);

        assertThatThrownBy(() -> csp.timeout(SHORT_READ_TIMEOUT).get(ProviderPaths.ACCOUNTS))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(csp.get(ProviderPaths.ACCOUNTS).status()).isEqualTo(200);
    }

    @Test
    void latency_everyRequestWaits_soAShortReadTimeoutGivesUp() throws Exception {
        provider.latency(FOREVER);

        assertThatThrownBy(() -> csp.timeout(SHORT_READ_TIMEOUT).get(ProviderPaths.ACCOUNTS))
                .isInstanceOf(HttpTimeoutException.class);

        provider.latency(Duration.ZERO);
        assertThat(csp.get(ProviderPaths.ACCOUNTS).status()).isEqualTo(200);
    }

    @Test
    void deleteLatency_slowsDeletesOnly() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);
        provider.deleteLatency(FOREVER);

        assertThat(csp.get(ProviderPaths.ACCOUNTS).status()).isEqualTo(200);
        assertThatThrownBy(
                        () -> csp.timeout(SHORT_READ_TIMEOUT).delete(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void hangingRequests_doNotBlockOtherRequests() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);
        provider.hangNext(RequestMatch.sandboxDeletes(), 2, FOREVER);
        List<CompletableFuture<WireClient.Response>> hung = List.of(
                csp.deleteAsync(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid()),
                csp.deleteAsync(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid()));
        awaitInFlight(2);

        assertThat(csp.get(ProviderPaths.ACCOUNTS).status()).isEqualTo(200);
        assertThat(hung).noneMatch(CompletableFuture::isDone);
        assertThat(provider.inFlight()).isEqualTo(2);
    }

    @Test
    void reset_clearsEveryFault() throws Exception {
        provider.failNext(RequestMatch.any(), 5);
        provider.latency(FOREVER);
        provider.maxPageSize(1);
        provider.addSandboxes("lab-adventure", 3);

        provider.reset();
        provider.addSandboxes("lab-adventure", 3);

        assertThat(csp.accounts())
                .extracting(a -> a.path("name").asText())
                .containsExactly("lab-adventure-0001", "lab-adventure-0002", "lab-adventure-0003");
    }

    private void awaitInFlight(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WireClient.GENEROUS.toNanos();
        while (provider.inFlight() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(provider.inFlight()).isEqualTo(expected);
    }
}
