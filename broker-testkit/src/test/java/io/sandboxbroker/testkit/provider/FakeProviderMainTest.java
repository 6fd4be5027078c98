package io.sandboxbroker.testkit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FakeProviderMainTest {

    @Test
    void defaults_giveAtLeastFiftySandboxesInTwoOrMoreGroups() {
        FakeProviderMain.Options options = FakeProviderMain.Options.parse();

        assertThat(options.groups()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(options.groups().stream()
                        .mapToInt(FakeProviderMain.Group::count)
                        .sum())
                .isGreaterThanOrEqualTo(50);
        assertThat(options.config().port()).isEqualTo(9090);
        assertThat(options.config().cspToken()).isEqualTo("local-csp-token");
    }

    @Test
    void parse_everyOption() {
        FakeProviderMain.Options options = FakeProviderMain.Options.parse(
                "--port",
                "0",
                "--token",
                "t",
                "--groups",
                "a:2, b:3",
                "--niosxaas-email",
                "e@x.test",
                "--niosxaas-password",
                "p",
                "--first-csp-id",
                "77");

        assertThat(options.groups())
                .containsExactly(new FakeProviderMain.Group("a", 2), new FakeProviderMain.Group("b", 3));
        assertThat(options.config())
                .isEqualTo(FakeProviderConfig.defaults()
                        .withPort(0)
                        .withCspToken("t")
                        .withNiosxaasUser("e@x.test", "p")
                        .withFirstCspId(77)
                        .withClock(options.config().clock()));
    }

    @Test
    void parse_unknownOptionOrMissingValueOrBadGroup_isRejected() {
        assertThatThrownBy(() -> FakeProviderMain.Options.parse("--nope", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeProviderMain.Options.parse("--port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeProviderMain.Options.parse("--groups", "a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void start_seedsGroupsDistractorsAndOneServicePerSandbox() throws Exception {
        try (FakeProvider provider = FakeProviderMain.start(FakeProviderMain.Options.parse("--port", "0"))) {
            Set<String> groups = provider.activeSandboxes().stream()
                    .map(a -> a.name().substring(0, a.name().lastIndexOf('-')))
                    .collect(Collectors.toSet());

            assertThat(provider.activeSandboxes()).hasSize(55);
            assertThat(groups).containsExactlyInAnyOrder("lab-adventure", "lab-start");
            assertThat(provider.accounts()).hasSizeGreaterThan(55);
            assertThat(provider.services(provider.activeSandboxes().get(0).uuid()))
                    .extracting(UniversalService::name)
                    .containsExactly("Instrqt-SaaS");
            assertThat(WireClient.csp(provider).accounts())
                    .hasSize(provider.accounts().size());
        }
    }
}
