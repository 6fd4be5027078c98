package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.RawHttp;
import io.sandboxbroker.broker.support.TestDynamo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Security headers on every response from every layer; CORS for the configured origins only. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecurityAndCorsIT {
    private static final String ALLOWED = "https://labs.example.com";
    private static final String STRICT_CSP =
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** A resource that fails the way a bug would. */
    @Path("/v1/explode")
    public static final class ExplodingResource {
        @GET
        public String explode() {
            throw new IllegalStateException("boom");
        }
    }

    static final DropwizardAppExtension<BrokerConfiguration> APP = new DropwizardAppExtension<>(
            new DropwizardTestSupport<>(
                    BrokerApplication.class,
                    ResourceHelpers.resourceFilePath("test-broker.yml"),
                    ConfigOverride.config("dynamodb.endpoint", TestDynamo::endpoint),
                    ConfigOverride.config("dynamodb.tableName", TestDynamo.uniqueTable("cors")),
                    ConfigOverride.config("edge.cors.allowedOrigins", ALLOWED + ", https://other.example.com")) {
                @Override
                public Application<BrokerConfiguration> newApplication() {
                    return new BrokerApplication() {
                        @Override
                        public void run(BrokerConfiguration config, Environment environment) {
                            super.run(config, environment);
                            environment.jersey().register(new ExplodingResource());
                        }
                    };
                }
            });

    private static LabClient client() {
        return LabClient.at(APP.getLocalPort());
    }

    private static void assertSecurityHeaders(UnaryOperator<String> header, String csp) {
        assertThat(header.apply("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(header.apply("X-Frame-Options")).isEqualTo("DENY");
        assertThat(header.apply("Strict-Transport-Security")).startsWith("max-age=");
        assertThat(header.apply("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(header.apply("Content-Security-Policy")).isEqualTo(csp);
        assertThat(header.apply("X-Request-ID")).isNotBlank();
    }

    private static void assertSecurityHeaders(Reply reply) {
        assertSecurityHeaders(reply::header, STRICT_CSP);
    }

    /** Header lookup in a raw response head, case-insensitive. */
    private static UnaryOperator<String> rawHeaders(RawHttp.Answer answer) {
        return name -> Arrays.stream(answer.head().split("\r\n"))
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElse(null);
    }

    @Test
    void everyStatus_carriesTheSecurityHeaders() {
        assertSecurityHeaders(client().get("/healthz"));
        Reply unauthorized = client().with("X-Instruqt-Sandbox-ID", "x").post("/v1/allocate");
        assertThat(unauthorized.status()).isEqualTo(401);
        assertSecurityHeaders(unauthorized);
        Reply notFound = client().get("/v1/nope");
        assertThat(notFound.status()).isEqualTo(404);
        assertSecurityHeaders(notFound);
        Reply wrongMethod = client().lab("x").get("/v1/allocate");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertSecurityHeaders(wrongMethod);
        Reply failure = client().get("/v1/explode");
        assertThat(failure.status()).isEqualTo(500);
        assertSecurityHeaders(failure);
    }

    @Test
    void jettyLevelErrors_carryTheSecurityHeaders() {
        for (String request : List.of(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\nConnection: close\r\n\r\n",
                "FROBNICATE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v1/%2e%2e/%2e%2e/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20 * 1024)
                        + "\r\nConnection: close\r\n\r\n")) {
            RawHttp.Answer answer = RawHttp.send(APP.getLocalPort(), request);
            String what = request.substring(0, 30) + " -> " + answer.head();
            assertThat(answer.status()).as(what).isBetween(400, 499);
            assertThat(answer.body()).as(what).contains("\"detail\"");
            assertSecurityHeaders(rawHeaders(answer), STRICT_CSP);
        }
    }

    @Test
    void docsAndAdminPages_getTheRelaxedPolicy_apiStaysStrict() {
        Reply docs = client().get("/v1/docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.header("Content-Security-Policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(client().get("/v1/docs/viewer.js").header("Content-Security-Policy"))
                .contains("script-src 'self'");
        assertThat(client().get("/admin/").header("Content-Security-Policy")).contains("script-src 'self'");
        Reply missingAsset = client().get("/admin/no-such-asset.js");
        assertThat(missingAsset.status()).isEqualTo(404);
        assertThat(missingAsset.code()).isEqualTo("NOT_FOUND");
        assertThat(missingAsset.header("X-Request-ID")).isNotBlank();
        assertThat(missingAsset.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(client().get("/v1/openapi.json").header("Content-Security-Policy"))
                .isEqualTo(STRICT_CSP);
    }

    @Test
    void adminPort_carriesTheSecurityHeadersToo() {
        Reply admin = LabClient.at(APP.getAdminPort()).get("/healthcheck");
        assertThat(admin.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(admin.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void preflight_fromAnAllowedOrigin_204WithMethodsAndHeaders_noTokenNeeded() {
        Reply preflight = client().with("Origin", ALLOWED)
                .with("Access-Control-Request-Method", "POST")
                .with("Access-Control-Request-Headers", "authorization, x-instruqt-sandbox-id")
                .send("OPTIONS", "/v1/allocate");

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, OPTIONS");
        assertThat(preflight.header("Access-Control-Allow-Headers").split(",\\s*"))
                .containsExactlyInAnyOrder(
                        "Authorization",
                        "Content-Type",
                        "X-Instruqt-Sandbox-ID",
                        "X-Track-ID",
                        "X-Instruqt-Track-ID",
                        "X-Sandbox-Name-Prefix",
                        "Idempotency-Key");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(preflight.header("Vary")).contains("Origin");
        assertSecurityHeaders(preflight);
    }

    @Test
    void preflight_fromAnotherOrigin_noCorsHeaders() {
        for (String origin :
                List.of("https://evil.example.com", "null", ALLOWED + ".evil.com", "http://labs.example.com")) {
            Reply preflight = client().with("Origin", origin)
                    .with("Access-Control-Request-Method", "POST")
                    .send("OPTIONS", "/v1/allocate");
            assertThat(preflight.raw().headers().map().keySet())
                    .as(origin)
                    .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
        }
    }

    @Test
    void actualRequest_allowedOriginSeesTheExposedHeaders_othersNothing() {
        Reply allowed = client().lab("learner-cors").with("Origin", ALLOWED).get("/v1/sandboxes/42");
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(allowed.header("Access-Control-Expose-Headers").split(",\\s*"))
                .containsExactlyInAnyOrder("X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After");

        Reply other = client().lab("learner-cors")
                .with("Origin", "https://evil.example.com")
                .get("/v1/sandboxes/42");
        assertThat(other.status()).isEqualTo(allowed.status());
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        assertThat(other.header("Access-Control-Expose-Headers")).isNull();
    }
}
