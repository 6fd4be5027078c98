package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Function;

/**
 * NIOSXaaS clean-up: sign in as the one service user, switch into an account, list and delete
 * that account's universal services. Everything but sign-in needs {@code Authorization: Bearer}.
 */
final class NiosxaasApi implements ProviderApi {
    private final ObjectMapper json;
    private final AccountStore accounts;
    private final JwtIssuer jwts;
    private final String email;
    private final String password;

    NiosxaasApi(ObjectMapper json, AccountStore accounts, JwtIssuer jwts, String email, String password) {
        this.json = json;
        this.accounts = accounts;
        this.jwts = jwts;
        this.email = email;
        this.password = password;
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith("/v2/session/") || path.startsWith("/api/universalinfra/");
    }

    @Override
    public Optional<Reply> refusal(ProviderRequest request) {
        if (request.path().equals(ProviderPaths.SIGN_IN) || grant(request).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(Reply.error(401, "missing, unknown or expired session token"));
    }

    @Override
    public Optional<String> accountOf(ProviderRequest request) {
        if (request.path().equals(ProviderPaths.ACCOUNT_SWITCH)) {
            return switchTarget(request);
        }
        if (request.path().startsWith(ProviderPaths.UNIVERSAL_SERVICES)) {
            return grant(request).flatMap(JwtIssuer.Grant::account);
        }
        return Optional.empty();
    }

    /**
     * Sign-in: 200 jwt, 401 wrong credentials. Switch: 200 scoped jwt, 400 bad id, 404 unknown
     * account. Services: 200 list or 204 deleted, 403 token not switched into an account, 404
     * unknown account or service.
     */
    @Override
    public Reply handle(ProviderRequest request) {
        String path = request.path();
        String method = request.method();
        if (path.equals(ProviderPaths.SIGN_IN)) {
            return method.equals("POST") ? signIn(request) : Reply.error(405, "method not allowed");
        }
        if (path.equals(ProviderPaths.ACCOUNT_SWITCH)) {
            return method.equals("POST") ? switchAccount(request) : Reply.error(405, "method not allowed");
        }
        if (path.equals(ProviderPaths.UNIVERSAL_SERVICES)) {
            return method.equals("GET")
                    ? withAccount(request, this::listServices)
                    : Reply.error(405, "method not allowed");
        }
        Optional<String> service = request.segmentAfter(ProviderPaths.UNIVERSAL_SERVICES + "/");
        if (service.isPresent()) {
            return method.equals("DELETE")
                    ? withAccount(request, account -> deleteService(account, service.get()))
                    : Reply.error(405, "method not allowed");
        }
        return Reply.error(404, "no such resource");
    }

    private Reply signIn(ProviderRequest request) {
        Optional<JsonNode> body = request.jsonObject(json);
        boolean valid = body.map(b -> email.equals(b.path("email").asText(null))
                        && password.equals(b.path("password").asText(null)))
                .orElse(false);
        if (!valid) {
            return Reply.error(401, "invalid email or password");
        }
        return jwtReply(jwts.issue(new JwtIssuer.Grant(email, Optional.empty())));
    }

    private Reply switchAccount(ProviderRequest request) {
        Optional<String> target = switchTarget(request);
        if (target.isEmpty()) {
            return Reply.error(400, "body must be {\"id\": \"identity/accounts/<uuid>\"}");
        }
        if (accounts.find(target.get()).isEmpty()) {
            return Reply.error(404, "account not found");
        }
        String user = grant(request).map(JwtIssuer.Grant::email).orElse(email);
        return jwtReply(jwts.issue(new JwtIssuer.Grant(user, target)));
    }

    private Reply listServices(String account) {
        ArrayNode results = json.createArrayNode();
        accounts.services(account)
                .forEach(service -> results.add(
                        json.createObjectNode().put("id", service.id()).put("name", service.name())));
        ObjectNode body = json.createObjectNode();
        body.set("results", results);
        return Reply.json(200, body);
    }

    private Reply deleteService(String account, String serviceUuid) {
        return accounts.deleteService(account, serviceUuid) ? Reply.noContent() : Reply.error(404, "service not found");
    }

    /** Runs {@code action} for the account the token is switched into, if it still exists. */
    private Reply withAccount(ProviderRequest request, Function<String, Reply> action) {
        Optional<String> account = grant(request).flatMap(JwtIssuer.Grant::account);
        if (account.isEmpty()) {
            return Reply.error(403, "token is not scoped to an account; call account_switch first");
        }
        if (accounts.find(account.get()).isEmpty()) {
            return Reply.error(404, "account not found");
        }
        return action.apply(account.get());
    }

    private Optional<JwtIssuer.Grant> grant(ProviderRequest request) {
        return request.credentials("Bearer").flatMap(jwts::grantOf);
    }

    private Optional<String> switchTarget(ProviderRequest request) {
        return request.jsonObject(json)
                .map(body -> body.path("id").asText(""))
                .filter(id -> id.startsWith(Account.ID_PREFIX) && id.length() > Account.ID_PREFIX.length())
                .map(id -> id.substring(Account.ID_PREFIX.length()));
    }

    private Reply jwtReply(String jwt) {
        return Reply.json(200, json.createObjectNode().put("jwt", jwt));
    }
}
