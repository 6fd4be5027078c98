package io.sandboxbroker.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;

/**
 * NIOSXaaS clean-up before a sandbox is deleted (docs/architecture.md#provider-apis). Off unless switched on, because it
 * deletes customer-visible services with a privileged service user.
 *
 * @param enabled        whether clean-up runs at all (env {@code NIOSXAAS_ENABLED}; default false)
 * @param shadowMode     find and log what would be deleted, delete nothing (env {@code NIOSXAAS_SHADOW_MODE});
 *                       absent means true, so deleting services takes two deliberate switches
 * @param baseUrl        e.g. {@code https://csp.infoblox.com}, without {@code /v2} (env {@code NIOSXAAS_BASE_URL})
 * @param email          the service user (env {@code NIOSXAAS_EMAIL}); required when enabled
 * @param password       its password (env {@code NIOSXAAS_PASSWORD}); required when enabled, never printed
 * @param serviceName    only services with exactly this name are deleted; empty deletes every
 *                       service (env {@code NIOSXAAS_SERVICE_NAME}; default {@code Instrqt-SaaS})
 * @param connectTimeout default 5 s
 * @param readTimeout    per request, default 15 s
 */
public record NiosxaasConfig(
        boolean enabled,
        Boolean shadowMode,
        @NotBlank String baseUrl,
        String email,
        String password,
        String serviceName,
        Duration connectTimeout,
        Duration readTimeout) {

    public static final String DEFAULT_BASE_URL = "https://csp.infoblox.com";
    public static final String DEFAULT_SERVICE_NAME = "Instrqt-SaaS";

    public NiosxaasConfig {
        shadowMode = shadowMode == null || shadowMode;
        baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : stripTrailingSlash(baseUrl.trim());
        email = email == null ? "" : email.trim();
        password = password == null ? "" : password;
        // Absent means the default; an explicit empty string means "every service".
        serviceName = serviceName == null ? DEFAULT_SERVICE_NAME : serviceName.trim();
        connectTimeout = connectTimeout == null ? Duration.seconds(5) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.seconds(15) : readTimeout;
    }

    /** Clean-up switched off: what an absent {@code niosxaas:} section means. */
    public static NiosxaasConfig disabled() {
        return new NiosxaasConfig(false, null, null, null, null, null, null, null);
    }

    /** Start-up refuses an enabled clean-up without credentials instead of failing every sandbox later. */
    @JsonIgnore
    @AssertTrue(message = "requires non-blank email and password when enabled")
    public boolean isCredentialsSetWhenEnabled() {
        return !enabled || (!email.isBlank() && !password.isBlank());
    }

    /** True when every service of a sandbox is to be deleted, whatever its name. */
    @JsonIgnore
    public boolean matchesAllServices() {
        return serviceName.isEmpty();
    }

    @Override
    public String toString() {
        return "NiosxaasConfig[enabled=" + enabled + ", shadowMode=" + shadowMode + ", baseUrl=" + baseUrl
                + ", email=" + email + ", password=" + (password.isEmpty() ? "<unset>" : "<redacted>")
                + ", serviceName=" + serviceName + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
