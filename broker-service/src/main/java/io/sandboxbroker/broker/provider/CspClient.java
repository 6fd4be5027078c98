package io.sandboxbroker.broker.provider;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.config.CspConfig;
import io.sandboxbroker.broker.core.DeletionResult;
import io.sandboxbroker.broker.core.ProviderSandbox;
import io.sandboxbroker.broker.core.SandboxId;
import io.sandboxbroker.broker.core.SandboxProvider;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Cloud Services Portal: lists and deletes sandbox accounts ({@code Authorization: Token …}). */
public final class CspClient implements SandboxProvider {
    private static final Logger LOG = LoggerFactory.getLogger(CspClient.class);
    static final int PAGE_SIZE = 500;
    static final String ACCOUNT_ID_PREFIX = "identity/accounts/";
    /** What may stand in a URL path segment unescaped (no dots, no slashes); real uuids are hex and dashes. */
    static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Account(
            String id,
            @JsonProperty("csp_id") Long cspId,
            String name,
            @JsonProperty("account_type") String accountType,
            String state,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("sfdc_account_id") String sfdcAccountId) {

        boolean isActiveSandbox() {
            return "sandbox".equals(accountType) && "active".equals(state) && id != null && cspId != null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccountPage(List<Account> results) {}

    private final CspConfig config;
    private final ProviderHttp http;

    public CspClient(CspConfig config, ObjectMapper json) {
        this.config = config;
        this.http = new ProviderHttp(
                "CSP",
                json,
                config.connectTimeout().toJavaDuration(),
                config.readTimeout().toJavaDuration());
    }

    /**
     * All active sandboxes, page by page. The portal may cap a page below the size asked for, or
     * ignore paging altogether: the next offset follows what actually came back, and an empty page
     * or one that brings nothing new ends the listing.
     *
     * @throws ProviderException when a page cannot be fetched; a partial listing is never returned
     */
    @Override
    public List<ProviderSandbox> activeSandboxes() {
        List<ProviderSandbox> active = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int offset = 0;
        while (true) {
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
            if (page.isEmpty() || !anythingNew) {
                return active;
            }
            offset += page.size();
        }
    }

    /**
     * {@code DELETE {base}/sandbox/accounts/<uuid>}: 200, 204 and 404 are {@code GONE}; 5xx,
     * timeouts and connection errors {@code TRANSIENT}; other 4xx {@code PERMANENT}. An external id
     * that is not {@code identity/accounts/<uuid>} is {@code PERMANENT} without a call.
     */
    @Override
    public DeletionResult delete(String externalId) {
        String uuid = accountUuid(externalId);
        if (uuid == null) {
            return DeletionResult.permanent("external id is not " + ACCOUNT_ID_PREFIX + "<uuid>");
        }
        long started = System.nanoTime();
        DeletionResult result =
                http.delete(URI.create(config.baseUrl() + "/sandbox/accounts/" + uuid), authorization());
        LOG.debug(
                "action=csp_delete external_id={} outcome={} detail=\"{}\" latency_ms={}",
                externalId,
                result.kind(),
                result.detail(),
                (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private List<Account> fetch(int offset) {
        URI uri = URI.create(config.baseUrl() + "/current_user/accounts?_limit=" + PAGE_SIZE + "&_offset=" + offset);
        AccountPage page =
                http.read(http.send("GET", uri, authorization(), null), AccountPage.class, "account listing");
        return page.results() == null ? List.of() : page.results();
    }

    private String authorization() {
        return "Token " + config.token();
    }

    /** The uuid of {@code identity/accounts/<uuid>}, or null if the id has another shape. */
    static String accountUuid(String externalId) {
        if (externalId == null || !externalId.startsWith(ACCOUNT_ID_PREFIX)) {
            return null;
        }
        String uuid = externalId.substring(ACCOUNT_ID_PREFIX.length());
        return SAFE_SEGMENT.matcher(uuid).matches() ? uuid : null;
    }

    private static ProviderSandbox toSandbox(Account account) {
        return new ProviderSandbox(
                new SandboxId(Long.toString(account.cspId())),
                account.name(),
                account.id(),
                account.sfdcAccountId(),
                parse(account.createdAt()));
    }

    private static Instant parse(String createdAt) {
        try {
            return createdAt == null ? null : Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
