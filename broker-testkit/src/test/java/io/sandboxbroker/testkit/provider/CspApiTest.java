package io.sandboxbroker.testkit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CspApiTest {
    private final FakeProvider provider =
            FakeProvider.start(FakeProviderConfig.defaults().withFirstCspId(5000));
    private final WireClient csp = WireClient.csp(provider);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void listing_seededGroup_hasEveryFieldInWireShape() throws Exception {
        List<Account> seeded = provider.addSandboxes("lab-adventure", 3);

        List<JsonNode> listed = csp.accounts();

        assertThat(listed).hasSize(3);
        JsonNode first = listed.get(0);
        assertThat(first.path("id").asText())
                .isEqualTo("identity/accounts/" + seeded.get(0).uuid());
        assertThat(first.path("csp_id").isIntegralNumber()).isTrue();
        assertThat(first.path("csp_id").asLong()).isEqualTo(5000);
        assertThat(first.path("name").asText()).isEqualTo("lab-adventure-0001");
        assertThat(first.path("account_type").asText()).isEqualTo("sandbox");
        assertThat(first.path("state").asText()).isEqualTo("active");
        assertThat(Instant.parse(first.path("created_at").asText()))
                .isEqualTo(seeded.get(0).createdAt());
        assertThat(first.path("sfdc_account_id").asText()).hasSize(18).startsWith("001");
        assertThat(listed)
                .extracting(a -> a.path("name").asText())
                .containsExactly("lab-adventure-0001", "lab-adventure-0002", "lab-adventure-0003");
        assertThat(listed).extracting(a -> a.path("csp_id").asLong()).containsExactly(5000L, 5001L, 5002L);
    }

    @Test
    void addSandboxes_twoGroupsAndRepeatedGroup_numbersPerGroupAndCspIdsAcrossAll() {
        provider.addSandboxes("lab-adventure", 2);
        provider.addSandboxes("lab-start", 1);
        List<Account> more = provider.addSandboxes("lab-adventure", 1);

        assertThat(more.get(0).name()).isEqualTo("lab-adventure-0003");
        assertThat(more.get(0).cspId()).isEqualTo(5003);
        assertThat(provider.accounts()).extracting(Account::uuid).doesNotHaveDuplicates();
    }

    @Test
    void listing_withDistractors_showsNonSandboxAndInactiveAccountsForClientsToFilter() throws Exception {
        provider.addSandboxes("lab-start", 2);
        provider.addDistractors();
        provider.addAccount("customer-x", "enterprise", "disabled");

        List<JsonNode> listed = csp.accounts();
        List<JsonNode> usable = listed.stream()
                .filter(a -> a.path("account_type").asText().equals("sandbox")
                        && a.path("state").asText().equals("active"))
                .toList();

        assertThat(listed).hasSize(7);
        assertThat(usable).extracting(a -> a.path("name").asText()).containsExactly("lab-start-0001", "lab-start-0002");
        assertThat(provider.activeSandboxes()).hasSize(2);
    }

    @Test
    void listing_withOffsetAndLimit_pagesInStableOrder() throws Exception {
        provider.addSandboxes("lab-adventure", 7);

        assertThat(names("?_offset=0&_limit=3"))
                .containsExactly("lab-adventure-0001", "lab-adventure-0002", "lab-adventure-0003");
        assertThat(names("?_offset=6&_limit=3")).containsExactly("lab-adventure-0007");
        assertThat(names("?_offset=9&_limit=3")).isEmpty();
        assertThat(names("")).hasSize(7);
    }

    @Test
    void listing_withForcedMaxPageSize_capsPagesEvenWithoutLimit() throws Exception {
        provider.addSandboxes("lab-adventure", 5);
        provider.maxPageSize(2);

        assertThat(names("")).hasSize(2);
        assertThat(names("?_limit=100")).hasSize(2);
        List<String> all = new ArrayList<>();
        for (int offset = 0; ; offset += 2) {
            List<String> page = names("?_offset=" + offset);
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
        }
        assertThat(all).hasSize(5).doesNotHaveDuplicates();

        provider.unlimitedPageSize();
        assertThat(names("")).hasSize(5);
    }

    @Test
    void listing_badPagingParameter_answers400() throws Exception {
        assertThat(csp.get(ProviderPaths.ACCOUNTS + "?_limit=abc").status()).isEqualTo(400);
    }

    @Test
    void delete_knownSandbox_answers204ThenGoneFromListingAndSecondDeleteIs404() throws Exception {
        List<Account> seeded = provider.addSandboxes("lab-adventure", 2);
        String uuid = seeded.get(0).uuid();

        WireClient.Response first = csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + uuid);
        WireClient.Response second = csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + uuid);

        assertThat(first.status()).isEqualTo(204);
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.json().path("error").asText()).isNotBlank();
        assertThat(csp.accounts())
                .extracting(a -> a.path("id").asText())
                .containsExactly("identity/accounts/" + seeded.get(1).uuid());
        assertThat(provider.account(uuid)).isEmpty();
    }

    @Test
    void delete_unknownUuid_answers404() throws Exception {
        assertThat(csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + "6d1c2b4e-0000-4000-8000-000000000000")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void removeAndRevive_account_vanishesThenReturnsWithSameIdentity() throws Exception {
        Account account = provider.addSandboxes("lab-start", 1).get(0);

        assertThat(provider.removeAccount(account.uuid())).isTrue();
        assertThat(csp.accounts()).isEmpty();
        assertThat(provider.reviveAccount(account.uuid())).isTrue();

        assertThat(csp.accounts()).extracting(a -> a.path("csp_id").asLong()).containsExactly(account.cspId());
        assertThat(provider.reviveAccount(account.uuid())).isFalse();
    }

    @Test
    void reviveAccount_afterDeleteOverTheWire_listsItAgain() throws Exception {
        Account account = provider.addSandboxes("lab-start", 1).get(0);
        csp.delete(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid());

        provider.reviveAccount(account.uuid());

        assertThat(csp.accounts()).hasSize(1);
    }

    @Test
    void anyCspCall_withMissingOrWrongToken_answers401Json() throws Exception {
        Account account = provider.addSandboxes("lab-start", 1).get(0);

        WireClient.Response missing = WireClient.anonymous(provider).get(ProviderPaths.ACCOUNTS);
        WireClient.Response wrong =
                WireClient.withAuthorization(provider, "Token nope").get(ProviderPaths.ACCOUNTS);
        WireClient.Response bearer = WireClient.withAuthorization(
                        provider, "Bearer " + provider.config().cspToken())
                .delete(ProviderPaths.SANDBOX_ACCOUNTS + account.uuid());

        assertThat(List.of(missing.status(), wrong.status(), bearer.status())).containsOnly(401);
        assertThat(missing.json().path("error").asText()).contains("token");
        assertThat(provider.account(account.uuid())).isPresent();
    }

    @Test
    void unknownPath_answers404AndWrongMethod405() throws Exception {
        assertThat(csp.get("/v2/nothing/here").status()).isEqualTo(404);
        assertThat(csp.delete(ProviderPaths.ACCOUNTS).status()).isEqualTo(405);
    }

    private List<String> names(String query) throws Exception {
        WireClient.Response response = csp.get(ProviderPaths.ACCOUNTS + query);
        assertThat(response.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().path("results").forEach(a -> names.add(a.path("name").asText()));
        return names;
    }
}
