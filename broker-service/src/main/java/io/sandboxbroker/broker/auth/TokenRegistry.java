package io.sandboxbroker.broker.auth;

import io.sandboxbroker.broker.config.AuthConfig;
import io.sandboxbroker.broker.config.Mode;
import io.sandboxbroker.broker.config.TokenConfig;
import io.sandboxbroker.broker.core.LabScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The valid tokens, kept only as SHA-256 digests and compared in constant time against every
 * entry, so neither timing nor a heap dump gives a token away.
 */
public final class TokenRegistry {
    static final int MIN_PRODUCTION_LENGTH = 24;
    /** Tokens that appear in docs, examples and local config; never valid outside local mode. */
    static final Set<String> WELL_KNOWN = Set.of(
            "changeme",
            "change-me",
            "default",
            "secret",
            "token",
            "test",
            "password",
            "local-lab-token",
            "local-admin-token",
            "dev-token",
            "admin",
            "example");

    /** Who called: the role, the configured name of the token (for logs, never the token) and its scope. */
    public record Client(Role role, String name, LabScope scope) {}

    private record Entry(Role role, String name, LabScope scope, byte[] digest) {}

    private final List<Entry> entries;

    private TokenRegistry(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Builds the registry, refusing (outside local mode) empty, short, well-known or shared tokens.
     *
     * @throws IllegalStateException with a message that names the token's name, never its value
     */
    public static TokenRegistry from(AuthConfig config, Mode mode) {
        List<Entry> entries = new ArrayList<>();
        add(entries, Role.LAB, config.labTokens(), mode);
        add(entries, Role.ADMIN, config.adminTokens(), mode);
        for (Entry lab : entries) {
            for (Entry admin : entries) {
                if (lab.role() == Role.LAB
                        && admin.role() == Role.ADMIN
                        && MessageDigest.isEqual(lab.digest(), admin.digest())) {
                    throw new IllegalStateException("lab token '" + lab.name() + "' and admin token '" + admin.name()
                            + "' are the same; roles must not share a token");
                }
            }
        }
        return new TokenRegistry(entries);
    }

    private static void add(List<Entry> entries, Role role, List<TokenConfig> tokens, Mode mode) {
        List<TokenConfig> set = tokens.stream().filter(TokenConfig::isSet).toList();
        if (set.isEmpty()) {
            throw new IllegalStateException("no " + role.name().toLowerCase() + " token is configured");
        }
        for (TokenConfig token : set) {
            String value = token.token().trim();
            if (mode != Mode.LOCAL
                    && (value.length() < MIN_PRODUCTION_LENGTH || WELL_KNOWN.contains(value.toLowerCase()))) {
                throw new IllegalStateException(role.name().toLowerCase() + " token '" + token.name()
                        + "' is a default or shorter than " + MIN_PRODUCTION_LENGTH
                        + " characters; set a strong secret (only mode: local accepts it)");
            }
            if (role == Role.ADMIN && token.isScoped()) {
                throw new IllegalStateException(
                        "admin token '" + token.name() + "' has pools or tracks; only lab tokens are scoped");
            }
            entries.add(new Entry(role, token.name(), new LabScope(token.pools(), token.tracks()), digest(value)));
        }
    }

    /** The client a presented token belongs to, checking every entry whatever matches. */
    public Optional<Client> identify(String presented) {
        byte[] digest = digest(presented);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found).map(entry -> new Client(entry.role(), entry.name(), entry.scope()));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
