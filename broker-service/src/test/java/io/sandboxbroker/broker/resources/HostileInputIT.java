package io.sandboxbroker.broker.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.sandboxbroker.broker.BrokerConfiguration;
import io.sandboxbroker.broker.support.BrokerTestApp;
import io.sandboxbroker.broker.support.LabClient;
import io.sandboxbroker.broker.support.Pool;
import io.sandboxbroker.broker.support.RawHttp;
import io.sandboxbroker.broker.support.TestDynamo;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Hundreds of generated malformed requests over raw sockets (what an HTTP client would refuse to
 * send): random and oversized headers and bodies, invalid UTF-8, unknown methods, path traversal,
 * header injection. No 5xx, no change to the pool table, the process stays healthy, and the heap
 * after a GC stays within a generous bound. Seeded, so a failure can be replayed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HostileInputIT {
    private static final long SEED = 5L;
    private static final int REQUESTS = 600;
    private static final String TABLE = TestDynamo.uniqueTable("hostile");
    static final DropwizardAppExtension<BrokerConfiguration> APP = BrokerTestApp.extension(TABLE);

    private static String owner;
    private static String ownedId;
    private static final List<String> SANDBOX_IDS = new ArrayList<>();

    @BeforeAll
    static void seed() {
        Pool pool = Pool.of(TABLE);
        pool.seed("hostile", 6).forEach(id -> SANDBOX_IDS.add(id.value()));
        // One allocated sandbox, so that mark-for-deletion by anyone else has something to refuse.
        owner = "rightful-owner";
        ownedId =
                LabClient.at(APP.getLocalPort()).lab(owner).post("/v1/allocate").text("sandbox_id");
        SANDBOX_IDS.add(ownedId);
    }

    /** Every item of the pool table, attribute by attribute. */
    private static Map<String, Map<String, AttributeValue>> tableSnapshot() {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        TestDynamo.client()
                .scanPaginator(ScanRequest.builder()
                        .tableName(TABLE)
                        .consistentRead(true)
                        .build())
                .items()
                .forEach(item -> items.put(item.toString().hashCode() + ":" + item.get("pk"), new TreeMap<>(item)));
        return items;
    }

    @Test
    void generatedHostileRequests_noServerError_noStateChange_staysHealthyAndBounded() {
        Map<String, Map<String, AttributeValue>> before = tableSnapshot();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();

        Random random = new Random(SEED);
        List<Supplier<byte[]>> generators = generators(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            byte[] request = generators.get(i % generators.size()).get();
            RawHttp.Answer answer = RawHttp.attempt(APP.getLocalPort(), request);
            statuses.merge(answer.status(), 1, Integer::sum);
            // 505 is HTTP's answer to a version the client made up: the client's fault, not ours.
            assertThat(answer.status())
                    .as("request %d (seed %d): %s -> %s", i, SEED, preview(request), answer.head())
                    .satisfiesAnyOf(
                            status -> assertThat(status).isLessThan(500),
                            status -> assertThat(status).isEqualTo(505));
            if (answer.status() == 505) {
                assertThat(answer.body()).contains("HTTP_505");
            }
            if (answer.status() >= 400) {
                assertThat(answer.body())
                        .as("request %d: %s", i, preview(request))
                        .contains("\"detail\"");
                assertThat(answer.head()).containsIgnoringCase("X-Content-Type-Options: nosniff");
            }
        }
        System.out.println("hostile input: status -> count " + statuses);

        assertThat(statuses.getOrDefault(-1, 0))
                .as("requests closed without any answer")
                .isLessThan(REQUESTS / 10);
        assertThat(tableSnapshot()).isEqualTo(before);
        assertThat(LabClient.at(APP.getLocalPort()).get("/healthz").status()).isEqualTo(200);
        assertThat(LabClient.at(APP.getLocalPort())
                        .lab(owner)
                        .get("/v1/sandboxes/" + ownedId)
                        .text("status"))
                .isEqualTo("allocated");
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        System.out.printf(
                "hostile input: heap used after GC %d MiB before, %d MiB after%n", heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(256L << 20);
    }

    private static String preview(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 160), StandardCharsets.ISO_8859_1);
        return text.replace("\r", "\\r").replace("\n", "\\n")
                + (request.length > 160 ? "…(" + request.length + " bytes)" : "");
    }

    // ---- generators: each returns one complete request as bytes ----

    private static List<Supplier<byte[]>> generators(Random random) {
        return List.of(
                () -> request(
                        pick(
                                random,
                                "GET",
                                "POST",
                                "PUT",
                                "DELETE",
                                "PATCH",
                                "TRACE",
                                "CONNECT",
                                "PROPFIND",
                                "get",
                                "G\u00c9T",
                                "POST\u0000",
                                randomToken(random, 1 + random.nextInt(40))),
                        randomPath(random),
                        standardHeaders(random),
                        ""),
                () -> request("GET", traversal(random), standardHeaders(random), ""),
                () -> request(
                        "POST",
                        "/v1/sandboxes/" + pick(random, SANDBOX_IDS.toArray(String[]::new)) + "/mark-for-deletion",
                        labHeaders(random, hostileLearner(random)),
                        ""),
                () -> request("POST", "/v1/allocate", labHeaders(random, hostileLearner(random)), ""),
                () -> request(
                        pick(random, "GET", "POST"),
                        randomPath(random),
                        standardHeaders(random) + randomHeaders(random),
                        ""),
                () -> request(
                        "POST",
                        "/v1/allocate",
                        standardHeaders(random) + "Content-Type: application/json\r\n",
                        randomBody(random)),
                () -> bytes(
                        ("POST /v1/allocate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + BrokerTestApp.LAB_TOKEN
                                        + "\r\nX-Instruqt-Sandbox-ID: ")
                                .getBytes(StandardCharsets.ISO_8859_1),
                        invalidUtf8(random),
                        "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                () -> injection(random),
                () -> request(
                        "GET",
                        "/v1/admin/sandboxes?" + randomQuery(random),
                        "Authorization: Bearer "
                                + pick(random, BrokerTestApp.ADMIN_TOKEN, BrokerTestApp.LAB_TOKEN, "nope") + "\r\n",
                        ""),
                () -> malformedFraming(random),
                () -> randomBytes(random));
    }

    private static byte[] request(String method, String target, String headers, String body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n";
        return bytes(head.getBytes(StandardCharsets.ISO_8859_1), body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String randomToken(Random random, int length) {
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < length; i++) {
            token.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return token.toString().replace(" ", "");
    }

    private static String randomPath(Random random) {
        return pick(
                random,
                "/v1/allocate",
                "/v1/sandboxes/" + random.nextInt(1_000_000),
                "/v1/admin/stats",
                "/v1/admin/bulk-delete?status=" + pick(random, "stale", "available", "allocated", "%00"),
                "/healthz",
                "/v1/docs/" + randomToken(random, 8).replace("?", "").replace("#", ""),
                "/"
                        + randomToken(random, 1 + random.nextInt(200))
                                .replace("?", "")
                                .replace("#", "")
                                .replace("%", "%25"),
                "/v1/sandboxes/" + "9".repeat(2_000),
                "*",
                "http://evil.example.com/v1/allocate");
    }

    private static String traversal(Random random) {
        return pick(
                random,
                "/v1/../../etc/passwd",
                "/v1/%2e%2e/%2e%2e/etc/passwd",
                "/v1/..%2f..%2fadmin/stats",
                "/v1/%252e%252e/admin",
                "/v1/sandboxes/..%5c..%5cwindows",
                "/v1/%c0%ae%c0%ae/admin",
                "/%2e/v1/admin/stats",
                "//v1//admin///stats",
                "/v1/sandboxes/%00",
                "/v1/sandboxes/%ff%fe",
                "/v1/docs/..%2F..%2Fopenapi.json",
                "/v1/sandboxes/1;jsessionid=x/mark-for-deletion",
                "/v1/./admin/./stats",
                "/v1/sandboxes/%u002e");
    }

    private static String standardHeaders(Random random) {
        return random.nextBoolean()
                ? "Authorization: Bearer " + pick(random, BrokerTestApp.LAB_TOKEN, "wrong", "") + "\r\n"
                        + "X-Instruqt-Sandbox-ID: " + hostileLearner(random) + "\r\n"
                : "";
    }

    /** A valid lab token, always with a learner id the API refuses or one that owns nothing. */
    private static String labHeaders(Random random, String learner) {
        return "Authorization: Bearer " + BrokerTestApp.LAB_TOKEN + "\r\nX-Instruqt-Sandbox-ID: " + learner + "\r\n";
    }

    private static String hostileLearner(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> "a".repeat(129 + random.nextInt(4_000));
            case 1 -> "";
            case 2 -> "   ";
            case 3 -> "tab\there";
            case 4 -> "del\u007f";
            case 5 -> "'; DROP TABLE sandboxes; --\u0001";
            default -> "caf\u00e9\u00ff";
        };
    }

    private static String randomHeaders(Random random) {
        StringBuilder headers = new StringBuilder();
        int count = random.nextInt(60);
        for (int i = 0; i < count; i++) {
            headers.append("X-")
                    .append(randomToken(random, 1 + random.nextInt(20)).replace(":", ""))
                    .append(": ")
                    .append(randomToken(random, random.nextInt(random.nextInt(10) == 0 ? 20_000 : 200)))
                    .append("\r\n");
        }
        return headers.toString();
    }

    private static String randomBody(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "{".repeat(1 + random.nextInt(5_000));
            case 1 -> "{\"a\":\"" + "x".repeat(random.nextInt(200_000)) + "\"}";
            case 2 -> randomToken(random, random.nextInt(2_000));
            case 3 -> "[" + "1,".repeat(random.nextInt(50_000)) + "1]";
            default -> "\u0000\u0001\u0002";
        };
    }

    private static byte[] invalidUtf8(Random random) {
        byte[][] sequences = {
            {(byte) 0xc3, 0x28},
            {(byte) 0xa0, (byte) 0xa1},
            {(byte) 0xe2, 0x28, (byte) 0xa1},
            {(byte) 0xf0, (byte) 0x90, 0x28, (byte) 0xbc},
            {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xff}
        };
        return sequences[random.nextInt(sequences.length)];
    }

    private static byte[] injection(Random random) {
        String value = pick(
                random,
                "x\r\nX-Injected: yes",
                "x\nSet-Cookie: a=b",
                "x\rLocation: http://evil",
                "x%0d%0aX-Injected:%20yes",
                "x\r\n\r\nGET /v1/admin/stats HTTP/1.1",
                "x\u0000y");
        String target = pick(random, "/v1/sandboxes/1%0d%0aX-Injected:%20yes", "/v1/allocate", "/healthz%0d%0a");
        String head = "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Request-ID: " + value + "\r\nX-Instruqt-Sandbox-ID: "
                + value + "\r\nConnection: close\r\n\r\n";
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String randomQuery(Random random) {
        return pick(
                random,
                "limit=" + randomToken(random, 5).replace("&", ""),
                "status=" + "a".repeat(10_000),
                "cursor=" + randomToken(random, 300).replace("&", "").replace("#", ""),
                "limit=1&limit=2&limit=3",
                "%zz=%zz",
                "status=available&cursor=%ff%ff");
    }

    private static byte[] malformedFraming(Random random) {
        String request = switch (random.nextInt(8)) {
            case 0 -> "POST /v1/allocate HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n";
            case 1 ->
                "POST /v1/allocate HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n";
            case 2 ->
                "POST /v1/allocate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
            case 3 ->
                "POST /v1/allocate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n";
            case 4 -> "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n";
            case 5 -> "GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n";
            case 6 -> "GET /healthz HTTP/1.1\r\n" + "X: y\r\n".repeat(2_000) + "Connection: close\r\n\r\n";
            default -> "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n12";
        };
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomBytes(Random random) {
        byte[] junk = new byte[1 + random.nextInt(4_096)];
        random.nextBytes(junk);
        return random.nextBoolean()
                ? junk
                : bytes(
                        "GET /".getBytes(StandardCharsets.ISO_8859_1),
                        junk,
                        "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
}
