package io.sandboxbroker.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandboxbroker.broker.config.AuthConfig;
import io.sandboxbroker.broker.config.Mode;
import io.sandboxbroker.broker.config.TokenConfig;
import io.sandboxbroker.broker.core.LabScope;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {
    private static final String STRONG_LAB = "lab-0123456789abcdefghijklmnop";
    private static final String STRONG_LAB_NEXT = "lab-next-0123456789abcdefghijklm";
    private static final String STRONG_ADMIN = "admin-0123456789abcdefghijklmn";

    private static AuthConfig auth(List<TokenConfig> lab, List<TokenConfig> admin) {
        return new AuthConfig(lab, admin);
    }

    @Test
    void identify_eachRotatedTokenByItsNameAndRole() {
        TokenRegistry tokens = TokenRegistry.from(
                auth(
                        List.of(
                                new TokenConfig("primary", STRONG_LAB),
                                new TokenConfig("next", STRONG_LAB_NEXT),
                                new TokenConfig("unset", "")),
                        List.of(new TokenConfig("ops", STRONG_ADMIN))),
                Mode.PRODUCTION);

        assertThat(tokens.identify(STRONG_LAB)).contains(new TokenRegistry.Client(Role.LAB, "primary", LabScope.ANY));
        assertThat(tokens.identify(STRONG_LAB_NEXT)).contains(new TokenRegistry.Client(Role.LAB, "next", LabScope.ANY));
        assertThat(tokens.identify(STRONG_ADMIN)).contains(new TokenRegistry.Client(Role.ADMIN, "ops", LabScope.ANY));
        assertThat(tokens.identify("")).isEmpty();
        assertThat(tokens.identify(STRONG_LAB + "x")).isEmpty();
    }

    @Test
    void production_refusesDefaultShortEmptyOrSharedTokens_withoutPrintingThem() {
        List<TokenConfig> admin = List.of(new TokenConfig("ops", STRONG_ADMIN));
        assertThatThrownBy(() -> TokenRegistry.from(
                        auth(List.of(new TokenConfig("p", "local-lab-token")), admin), Mode.PRODUCTION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("local-lab-token");
        assertThatThrownBy(() ->
                        TokenRegistry.from(auth(List.of(new TokenConfig("p", "changeme")), admin), Mode.PRODUCTION))
                .hasMessageContaining("'p'");
        assertThatThrownBy(() ->
                        TokenRegistry.from(auth(List.of(new TokenConfig("p", "short-secret")), admin), Mode.PRODUCTION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> TokenRegistry.from(auth(List.of(new TokenConfig("p", "  ")), admin), Mode.PRODUCTION))
                .hasMessageContaining("no lab token");
        assertThatThrownBy(() ->
                        TokenRegistry.from(auth(List.of(new TokenConfig("p", STRONG_ADMIN)), admin), Mode.PRODUCTION))
                .hasMessageContaining("same");
    }

    @Test
    void local_acceptsWellKnownTokensButStillNeedsOne() {
        TokenRegistry tokens = TokenRegistry.from(
                auth(
                        List.of(new TokenConfig("lab", "local-lab-token")),
                        List.of(new TokenConfig("admin", "local-admin-token"))),
                Mode.LOCAL);

        assertThat(tokens.identify("local-lab-token")).isPresent();
        assertThatThrownBy(() -> TokenRegistry.from(auth(List.of(), List.of(new TokenConfig("a", "x"))), Mode.LOCAL))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tokenConfig_toStringNeverShowsTheToken() {
        assertThat(new TokenConfig("primary", STRONG_LAB).toString())
                .doesNotContain(STRONG_LAB)
                .contains("primary");
    }

    @Test
    void identify_scopedLabToken_carriesItsPoolsAndTracks() {
        TokenRegistry tokens = TokenRegistry.from(
                auth(
                        List.of(new TokenConfig("dns", STRONG_LAB, List.of("lab-dns"), List.of("dns-basics"))),
                        List.of(new TokenConfig("ops", STRONG_ADMIN))),
                Mode.PRODUCTION);

        assertThat(tokens.identify(STRONG_LAB))
                .contains(new TokenRegistry.Client(
                        Role.LAB, "dns", new LabScope(List.of("lab-dns"), List.of("dns-basics"))));
    }

    @Test
    void from_scopedAdminToken_refused() {
        assertThatThrownBy(() -> TokenRegistry.from(
                        auth(
                                List.of(new TokenConfig("lab", STRONG_LAB)),
                                List.of(new TokenConfig("ops", STRONG_ADMIN, List.of("lab-dns"), List.of()))),
                        Mode.PRODUCTION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ops")
                .hasMessageNotContaining(STRONG_ADMIN);
    }
}
