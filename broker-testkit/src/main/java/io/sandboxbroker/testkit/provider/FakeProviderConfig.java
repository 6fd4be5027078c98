package io.sandboxbroker.testkit.provider;

import java.time.Clock;
import java.util.Objects;

/**
 * How a fake provider starts: the port (0 = any free port), the CSP API token it accepts, the one
 * NIOSXaaS service user it knows, the first {@code csp_id} it hands out, and the clock behind
 * {@code created_at} and call timestamps.
 */
public record FakeProviderConfig(
        int port, String cspToken, String niosxaasEmail, String niosxaasPassword, long firstCspId, Clock clock) {
    public static final String DEFAULT_CSP_TOKEN = "fake-csp-token";
    public static final String DEFAULT_NIOSXAAS_EMAIL = "niosxaas-cleanup@example.com";
    public static final String DEFAULT_NIOSXAAS_PASSWORD = "fake-niosxaas-password";
    public static final long DEFAULT_FIRST_CSP_ID = 2_000_001L;

    public FakeProviderConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        requireText(cspToken, "cspToken");
        requireText(niosxaasEmail, "niosxaasEmail");
        requireText(niosxaasPassword, "niosxaasPassword");
        if (firstCspId < 1) {
            throw new IllegalArgumentException("firstCspId must be positive: " + firstCspId);
        }
        Objects.requireNonNull(clock, "clock");
    }

    public static FakeProviderConfig defaults() {
        return new FakeProviderConfig(
                0,
                DEFAULT_CSP_TOKEN,
                DEFAULT_NIOSXAAS_EMAIL,
                DEFAULT_NIOSXAAS_PASSWORD,
                DEFAULT_FIRST_CSP_ID,
                Clock.systemUTC());
    }

    public FakeProviderConfig withPort(int newPort) {
        return new FakeProviderConfig(newPort, cspToken, niosxaasEmail, niosxaasPassword, firstCspId, clock);
    }

    public FakeProviderConfig withCspToken(String token) {
        return new FakeProviderConfig(port, token, niosxaasEmail, niosxaasPassword, firstCspId, clock);
    }

    public FakeProviderConfig withNiosxaasUser(String email, String password) {
        return new FakeProviderConfig(port, cspToken, email, password, firstCspId, clock);
    }

    public FakeProviderConfig withFirstCspId(long first) {
        return new FakeProviderConfig(port, cspToken, niosxaasEmail, niosxaasPassword, first, clock);
    }

    public FakeProviderConfig withClock(Clock newClock) {
        return new FakeProviderConfig(port, cspToken, niosxaasEmail, niosxaasPassword, firstCspId, newClock);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
