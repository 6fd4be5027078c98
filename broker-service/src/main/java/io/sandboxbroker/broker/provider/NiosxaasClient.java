package io.sandboxbroker.broker.provider;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.config.NiosxaasConfig;
import io.sandboxbroker.broker.core.CleanupOutcome;
import io.sandboxbroker.broker.core.DeletionResult;
import io.sandboxbroker.broker.core.SandboxCleaner;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIOSXaaS clean-up (docs/architecture.md#provider-apis): sign in as the service user, switch into the sandbox's account,
 * list its universal services and delete those with the configured name. The session jwt is
 * cached across sandboxes and renewed when refused. Neither jwts nor the password are logged.
 */
public final class NiosxaasClient implements SandboxCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(NiosxaasClient.class);
    static final String SIGN_IN = "/v2/session/users/sign_in";
    static final String ACCOUNT_SWITCH = "/v2/session/account_switch";
    static final String UNIVERSAL_SERVICES = "/api/universalinfra/v1/universalservices";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Session(String jwt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Service(String id, String name) {

        /** The uuid of {@code infra/universal_service/<uuid>}, or null if unusable in a path. */
        String uuid() {
            if (id == null) {
                return null;
            }
            String last = id.substring(id.lastIndexOf('/') + 1);
            return CspClient.SAFE_SEGMENT.matcher(last).matches() ? last : null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServicePage(List<Service> results) {}

    /** A bearer call was answered 401: the session is stale. */
    private static final class SessionRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SessionRefused() {
            super(null, null, false, false);
        }
    }

    private final NiosxaasConfig config;
    private final ProviderHttp http;
    private final AtomicReference<String> session = new AtomicReference<>();

    public NiosxaasClient(NiosxaasConfig config, ObjectMapper json) {
        this.config = config;
        this.http = new ProviderHttp(
                "NIOSXaaS",
                json,
                config.connectTimeout().toJavaDuration(),
                config.readTimeout().toJavaDuration());
    }

    /**
     * {@code DISABLED} without any call when switched off; otherwise {@code CLEANED},
     * {@code NOTHING_TO_CLEAN}, {@code SHADOW} or {@code FAILED}. Never throws.
     */
    @Override
    public CleanupOutcome clean(String externalId) {
        if (!config.enabled()) {
            return CleanupOutcome.disabled();
        }
        CleanupOutcome outcome;
        try {
            outcome = cleanWithFreshSessionOnRefusal(externalId);
        } catch (ProviderException e) {
            outcome = CleanupOutcome.failed(e.getMessage());
        } catch (RuntimeException e) {
            // A bug of ours must not block the delete either; the class name is safe to report.
            outcome = CleanupOutcome.failed("unexpected " + e.getClass().getSimpleName());
            LOG.error("action=niosxaas_cleanup external_id={} outcome=FAILED", externalId, e);
            return outcome;
        }
        if (outcome.kind() == CleanupOutcome.Kind.FAILED) {
            // Services may be left running (and billed) after the delete: worth an operator's look.
            LOG.warn(
                    "action=niosxaas_cleanup external_id={} outcome=FAILED detail=\"{}\"",
                    externalId,
                    outcome.detail());
        } else {
            LOG.info(
                    "action=niosxaas_cleanup external_id={} outcome={} services={}",
                    externalId,
                    outcome.kind(),
                    outcome.services());
        }
        return outcome;
    }

    private CleanupOutcome cleanWithFreshSessionOnRefusal(String externalId) {
        String jwt = sessionJwt();
        try {
            return cleanOnce(externalId, jwt);
        } catch (SessionRefused expired) {
            // Only forget the session we used; another thread may already have renewed it.
            session.compareAndSet(jwt, null);
            try {
                return cleanOnce(externalId, sessionJwt());
            } catch (SessionRefused again) {
                return CleanupOutcome.failed("NIOSXaaS refused a fresh session (HTTP 401)");
            }
        }
    }

    /** The whole flow; every step is safe to repeat (a service already deleted answers 404). */
    private CleanupOutcome cleanOnce(String externalId, String sessionJwt) {
        ProviderHttp.Answer switched =
                http.send("POST", uri(ACCOUNT_SWITCH), bearer(sessionJwt), Map.of("id", externalId));
        if (switched.status() == 404) {
            return CleanupOutcome.nothingToClean(); // the account is already gone
        }
        String scoped = jwtOf(refusedOr(switched), "account switch");

        ProviderHttp.Answer listed = refusedOr(http.send("GET", uri(UNIVERSAL_SERVICES), bearer(scoped), null));
        ServicePage page = http.read(listed, ServicePage.class, "service listing");
        List<Service> matching = (page.results() == null ? List.<Service>of() : page.results())
                .stream()
                        .filter(service -> config.matchesAllServices()
                                || config.serviceName().equals(service.name()))
                        .toList();
        if (matching.isEmpty()) {
            return CleanupOutcome.nothingToClean();
        }
        if (config.shadowMode()) {
            matching.forEach(service -> LOG.info(
                    "action=niosxaas_cleanup mode=shadow external_id={} " + "would_delete_service={} name=\"{}\"",
                    externalId,
                    service.id(),
                    service.name()));
            return CleanupOutcome.shadow(matching.size());
        }
        int deleted = 0;
        for (Service service : matching) {
            String uuid = service.uuid();
            if (uuid == null) {
                return CleanupOutcome.failed("service id is not infra/universal_service/<uuid>");
            }
            DeletionResult result;
            try {
                result = ProviderHttp.asDeletion(
                        refusedOr(http.send("DELETE", uri(UNIVERSAL_SERVICES + "/" + uuid), bearer(scoped), null)));
            } catch (ProviderException unanswered) {
                result = DeletionResult.transientFailure(unanswered.getMessage());
            }
            if (!result.isGone()) {
                return CleanupOutcome.failed(
                        "deleting service " + service.id() + " after " + deleted + " deleted: " + result.detail());
            }
            LOG.info(
                    "action=niosxaas_cleanup external_id={} deleted_service={} name=\"{}\"",
                    externalId,
                    service.id(),
                    service.name());
            deleted++;
        }
        return CleanupOutcome.cleaned(deleted);
    }

    /** The cached session jwt, signing in first if there is none. */
    private String sessionJwt() {
        String jwt = session.get();
        if (jwt != null) {
            return jwt;
        }
        ProviderHttp.Answer answer =
                http.send("POST", uri(SIGN_IN), null, Map.of("email", config.email(), "password", config.password()));
        if (answer.status() == 401 || answer.status() == 403) {
            // Not SessionRefused: signing in again with the same credentials cannot help.
            throw new ProviderException("NIOSXaaS sign-in refused (HTTP " + answer.status() + ")", false);
        }
        String fresh = jwtOf(answer, "sign-in");
        session.set(fresh);
        return fresh;
    }

    private String jwtOf(ProviderHttp.Answer answer, String what) {
        Session session = http.read(answer, Session.class, what);
        if (session.jwt() == null || session.jwt().isBlank()) {
            throw new ProviderException("NIOSXaaS " + what + ": answer without a jwt", true);
        }
        return session.jwt();
    }

    private static ProviderHttp.Answer refusedOr(ProviderHttp.Answer answer) {
        if (answer.status() == 401) {
            throw new SessionRefused();
        }
        return answer;
    }

    private URI uri(String path) {
        return URI.create(config.baseUrl() + path);
    }

    private static String bearer(String jwt) {
        return "Bearer " + jwt;
    }
}
