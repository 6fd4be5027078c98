package io.sandboxbroker.broker.provider;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The Cloud Services Portal: lists sandbox accounts ({@code Authorization: Token …}). */
public final class CspClient implements SandboxProvider {
    static final int PAGE_SIZE = 500;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Account(String id, @JsonProperty("csp_id") Long cspId, String name,
            @JsonProperty("account_type") String accountType, String state,
            @JsonProperty("created_at") String createdAt, @JsonProperty("sfdc_account_id") String sfdcAccountId) {

        boolean isActiveSandbox() {
            return "sandbox".equals(accountType) && "active".equals(state) && id != null && cspId != null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccountPage(List<Account> results) {
    }

    private final CspConfig config;
    private final HttpClient http;
    private final ObjectMapper json;

    public CspClient(CspConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout().toJavaDuration()).build();
    }

    /**
     * All active sandboxes, page by page. The portal may ignore paging parameters; a page that
     * brings nothing new ends the listing either way.
     */
    @Override
    public List<ProviderSandbox> activeSandboxes() {
        List<ProviderSandbox> active = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int offset = 0; ; offset += PAGE_SIZE) {
            List<Account> page = fetch(offset);
            boolean anythingNew = false;
            for (Account account : page) {
                if (account.id() != null && seen.add(account.id())) {
                    anythingNew = true;
                    if (account.isActiveSandbox()) {
                        active.add(toSandbox(account));
                    }
                }
            }
            if (page.size() < PAGE_SIZE || !anythingNew) {
                return active;
            }
        }
    }

    private List<Account> fetch(int offset) {
        URI uri = URI.create(config.baseUrl() + "/current_user/accounts?_limit=" + PAGE_SIZE + "&_offset=" + offset);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.readTimeout().toJavaDuration())
                .header("Authorization", "Token " + config.token())
                .header("Accept", "application/json")
                .GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new ProviderException("CSP listed accounts with HTTP " + response.statusCode(),
                        response.statusCode() >= 500);
            }
            AccountPage page = json.readValue(response.body(), AccountPage.class);
            return page.results() == null ? List.of() : page.results();
        } catch (IOException e) {
            throw new ProviderException("CSP could not be reached: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while listing CSP accounts", true);
        }
    }

    private static ProviderSandbox toSandbox(Account account) {
        return new ProviderSandbox(new SandboxId(Long.toString(account.cspId())), account.name(), account.id(),
                account.sfdcAccountId(), parse(account.createdAt()));
    }

    private static Instant parse(String createdAt) {
        try {
            return createdAt == null ? null : Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
