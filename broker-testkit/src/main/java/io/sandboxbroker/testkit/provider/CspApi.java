package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Cloud Services Portal: the account listing (optionally paged with {@code _offset} and
 * {@code _limit}) and sandbox deletion, behind {@code Authorization: Token <token>}.
 */
final class CspApi implements ProviderApi {
    private final ObjectMapper json;
    private final AccountStore accounts;
    private final String token;
    private volatile OptionalInt maxPageSize = OptionalInt.empty();

    CspApi(ObjectMapper json, AccountStore accounts, String token) {
        this.json = json;
        this.accounts = accounts;
        this.token = token;
    }

    void maxPageSize(OptionalInt size) {
        size.ifPresent(n -> {
            if (n < 1) {
                throw new IllegalArgumentException("page size must be positive: " + n);
            }
        });
        maxPageSize = size;
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith("/v2/current_user/") || path.startsWith("/v2/sandbox/");
    }

    @Override
    public Optional<Reply> refusal(ProviderRequest request) {
        return request.credentials("Token").filter(token::equals).isPresent()
                ? Optional.empty()
                : Optional.of(Reply.error(401, "missing or invalid API token"));
    }

    @Override
    public Optional<String> accountOf(ProviderRequest request) {
        return request.segmentAfter(ProviderPaths.SANDBOX_ACCOUNTS);
    }

    /** 200 listing; 204 deleted; 404 unknown or already deleted; 400 bad paging; 405 wrong method. */
    @Override
    public Reply handle(ProviderRequest request) {
        if (request.path().equals(ProviderPaths.ACCOUNTS)) {
            return request.method().equals("GET") ? list(request) : Reply.error(405, "method not allowed");
        }
        Optional<String> uuid = accountOf(request);
        if (uuid.isPresent()) {
            if (!request.method().equals("DELETE")) {
                return Reply.error(405, "method not allowed");
            }
            return accounts.remove(uuid.get()) ? Reply.noContent() : Reply.error(404, "account not found");
        }
        return Reply.error(404, "no such resource");
    }

    private Reply list(ProviderRequest request) {
        int offset;
        int limit;
        try {
            offset = parse(request, "_offset", 0);
            limit = parse(request, "_limit", Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        int pageSize = Math.min(limit, maxPageSize.orElse(Integer.MAX_VALUE));
        List<Account> all = accounts.listed();
        ArrayNode results = json.createArrayNode();
        all.stream().skip(offset).limit(pageSize).map(this::toJson).forEach(results::add);
        ObjectNode body = json.createObjectNode();
        body.set("results", results);
        return Reply.json(200, body);
    }

    private static int parse(ProviderRequest request, String name, int absent) {
        String value = request.query().get(name);
        if (value == null) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value, e);
        }
    }

    private ObjectNode toJson(Account account) {
        return json.createObjectNode()
                .put("id", account.id())
                .put("csp_id", account.cspId())
                .put("name", account.name())
                .put("account_type", account.accountType())
                .put("state", account.state())
                .put("created_at", account.createdAt().toString())
                .put("sfdc_account_id", account.sfdcAccountId());
    }
}
