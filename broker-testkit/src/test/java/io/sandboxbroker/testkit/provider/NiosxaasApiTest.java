package io.sandboxbroker.testkit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NiosxaasApiTest {
    private final FakeProvider provider =
            FakeProvider.start(FakeProviderConfig.defaults().withNiosxaasUser("svc@lab.test", "s3cret"));
    private final WireClient anonymous = WireClient.anonymous(provider);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void cleanupFlow_signInSwitchListDelete_removesOnlyThatAccountsService() throws Exception {
        List<Account> sandboxes = provider.addSandboxes("lab-adventure", 2);
        String target = sandboxes.get(0).uuid();
        UniversalService instruqt = provider.addService(target, "Instrqt-SaaS");
        UniversalService other = provider.addService(target, "keep-me");
        UniversalService elsewhere = provider.addService(sandboxes.get(1).uuid(), "Instrqt-SaaS");

        String jwt = signIn("svc@lab.test", "s3cret").json().path("jwt").asText();
        WireClient.Response switched = WireClient.bearer(provider, jwt)
                .post(ProviderPaths.ACCOUNT_SWITCH, "{\"id\":\"identity/accounts/" + target + "\"}");
        WireClient scoped =
                WireClient.bearer(provider, switched.json().path("jwt").asText());
        List<JsonNode> listed = results(scoped.get(ProviderPaths.UNIVERSAL_SERVICES));
        WireClient.Response deleted = scoped.delete(ProviderPaths.UNIVERSAL_SERVICES + "/" + instruqt.uuid());
        WireClient.Response again = scoped.delete(ProviderPaths.UNIVERSAL_SERVICES + "/" + instruqt.uuid());

        assertThat(jwt.split("\\.")).hasSize(3);
        assertThat(switched.status()).isEqualTo(200);
        assertThat(switched.json().path("jwt").asText()).isNotEqualTo(jwt);
        assertThat(listed)
                .extracting(s -> s.path("id").asText(), s -> s.path("name").asText())
                .containsExactly(
                        tuple("infra/universal_service/" + instruqt.uuid(), "Instrqt-SaaS"),
                        tuple("infra/universal_service/" + other.uuid(), "keep-me"));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(provider.services(target)).containsExactly(other);
        assertThat(provider.services(sandboxes.get(1).uuid())).containsExactly(elsewhere);
    }

    @Test
    void deleteService_ofAnotherAccount_answers404() throws Exception {
        List<Account> sandboxes = provider.addSandboxes("lab-adventure", 2);
        UniversalService foreign = provider.addService(sandboxes.get(1).uuid(), "Instrqt-SaaS");

        WireClient scoped = scopedTo(sandboxes.get(0).uuid());

        assertThat(scoped.delete(ProviderPaths.UNIVERSAL_SERVICES + "/" + foreign.uuid())
                        .status())
                .isEqualTo(404);
        assertThat(provider.services(sandboxes.get(1).uuid())).containsExactly(foreign);
    }

    @Test
    void signIn_wrongPasswordOrMalformedBody_answers401() throws Exception {
        assertThat(signIn("svc@lab.test", "wrong").status()).isEqualTo(401);
        assertThat(signIn("someone@lab.test", "s3cret").status()).isEqualTo(401);
        assertThat(anonymous.post(ProviderPaths.SIGN_IN, "not json").status()).isEqualTo(401);
    }

    @Test
    void protectedCalls_withoutKnownBearer_answer401() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);
        String body = "{\"id\":\"identity/accounts/" + account.uuid() + "\"}";

        assertThat(anonymous.post(ProviderPaths.ACCOUNT_SWITCH, body).status()).isEqualTo(401);
        assertThat(WireClient.bearer(provider, "forged.jwt.value")
                        .get(ProviderPaths.UNIVERSAL_SERVICES)
                        .status())
                .isEqualTo(401);
        assertThat(WireClient.csp(provider)
                        .get(ProviderPaths.UNIVERSAL_SERVICES)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void expireSessions_makesIssuedJwtsUnusable() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);
        WireClient scoped = scopedTo(account.uuid());

        provider.expireSessions();

        assertThat(scoped.get(ProviderPaths.UNIVERSAL_SERVICES).status()).isEqualTo(401);
    }

    @Test
    void listServices_withUnscopedJwt_answers403() throws Exception {
        String jwt = signIn("svc@lab.test", "s3cret").json().path("jwt").asText();

        assertThat(WireClient.bearer(provider, jwt)
                        .get(ProviderPaths.UNIVERSAL_SERVICES)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void accountSwitch_unknownAccountOrBadId_answers404Or400() throws Exception {
        WireClient signedIn = WireClient.bearer(
                provider, signIn("svc@lab.test", "s3cret").json().path("jwt").asText());

        assertThat(signedIn.post(
                                ProviderPaths.ACCOUNT_SWITCH,
                                "{\"id\":\"identity/accounts/3f0a4f1e-0000-4000-8000-000000000000\"}")
                        .status())
                .isEqualTo(404);
        assertThat(signedIn.post(ProviderPaths.ACCOUNT_SWITCH, "{\"id\":\"3f0a4f1e\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void listServices_afterAccountDeleted_answers404() throws Exception {
        Account account = provider.addSandboxes("lab-adventure", 1).get(0);
        WireClient scoped = scopedTo(account.uuid());

        provider.removeAccount(account.uuid());

        assertThat(scoped.get(ProviderPaths.UNIVERSAL_SERVICES).status()).isEqualTo(404);
    }

    private WireClient.Response signIn(String email, String password) throws Exception {
        return anonymous.post(ProviderPaths.SIGN_IN, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    private WireClient scopedTo(String accountUuid) throws Exception {
        WireClient signedIn = WireClient.bearer(
                provider, signIn("svc@lab.test", "s3cret").json().path("jwt").asText());
        WireClient.Response switched =
                signedIn.post(ProviderPaths.ACCOUNT_SWITCH, "{\"id\":\"identity/accounts/" + accountUuid + "\"}");
        assertThat(switched.status()).isEqualTo(200);
        return WireClient.bearer(provider, switched.json().path("jwt").asText());
    }

    private static List<JsonNode> results(WireClient.Response response) {
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> results = new ArrayList<>();
        response.json().path("results").forEach(results::add);
        return results;
    }
}
