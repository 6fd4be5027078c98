package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.core.BrokerException;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.LabClient.Reply;
import io.sandboxbroker.broker.support.TestDynamo;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hand-written OpenAPI description against what the running application really registered:
 * a resource or method added without documenting it (or documented and removed) fails here, and
 * so does an error code the domain gained without the description.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiDescriptionIT {
    static final DropwizardAppExtension<BrokerConfiguration> APP =
            BrokerTestApp.extension(TestDynamo.uniqueTable("docs"));

    private static LabClient client() {
        return LabClient.at(APP.getLocalPort());
    }

    private static JsonNode spec() {
        Reply reply = client().get("/v1/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        return reply.body();
    }

    /** "METHOD /path/{param}" for every resource method the application registered with Jersey. */
    private static Set<String> registeredOperations() {
        var config = APP.getEnvironment().jersey().getResourceConfig();
        List<Class<?>> classes = new ArrayList<>(config.getClasses());
        config.getInstances().forEach(instance -> classes.add(instance.getClass()));
        Set<String> operations = new TreeSet<>();
        classes.stream()
                .filter(c -> c.isAnnotationPresent(Path.class))
                .distinct()
                .forEach(c -> collect(Resource.from(c), "", operations));
        return operations;
    }

    private static void collect(Resource resource, String parent, Set<String> into) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            into.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, into);
        }
    }

    private static String join(String parent, String path) {
        String joined = (parent + "/" + (path == null ? "" : path)).replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static Set<String> documentedOperations(JsonNode spec) {
        Set<String> operations = new TreeSet<>();
        spec.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return operations;
    }

    @Test
    void everyRegisteredOperationIsDocumented_andNothingElse() {
        Set<String> registered = registeredOperations();
        assertThat(registered).contains("POST /v1/allocate", "GET /v1/sandboxes/{id}", "GET /healthz");

        assertThat(documentedOperations(spec())).isEqualTo(registered);
    }

    @Test
    void documentedErrorCodes_areTheDomainReasonsAndTheTransportCodes() {
        Set<String> documented = new TreeSet<>();
        spec().path("components")
                .path("schemas")
                .path("ErrorCode")
                .path("enum")
                .forEach(c -> documented.add(c.asText()));

        Set<String> expected = Stream.concat(
                        Arrays.stream(BrokerException.Reason.values()).map(Enum::name),
                        ErrorResponses.TRANSPORT_CODES.stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(expected);
    }

    @Test
    void codesNamedInResponseDescriptions_areDocumentedCodes() {
        JsonNode spec = spec();
        Set<String> documented = new TreeSet<>();
        spec.path("components").path("schemas").path("ErrorCode").path("enum").forEach(c -> documented.add(c.asText()));
        Matcher codes = Pattern.compile("\\b[A-Z][A-Z_]{3,}[A-Z]\\b").matcher(spec.toString());
        Set<String> named = new TreeSet<>();
        while (codes.find()) {
            named.add(codes.group());
        }
        named.removeAll(Set.of("POST", "HTTP_", "OPTIONS", "DELETE"));
        assertThat(documented).containsAll(named);
    }

    @Test
    void docsViewer_servedFromTheJar_loadsNothingFromElsewhere() {
        Reply page = client().get("/v1/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String html = page.raw().body();
        assertThat(html)
                .contains("/v1/docs/viewer.js")
                .contains("/v1/docs/viewer.css")
                .doesNotContain("http://", "https://");

        Reply script = client().get("/v1/docs/viewer.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.raw().body()).contains("/v1/openapi.json").doesNotContain("http://", "https://", "innerHTML");
        assertThat(client().get("/v1/docs/viewer.css").status()).isEqualTo(200);
        assertThat(client().get("/v1/docs/..%2Fopenapi.json").status()).isBetween(400, 404);
        assertThat(client().get("/v1/docs/secret.txt").code()).isEqualTo("NOT_FOUND");
    }
}
