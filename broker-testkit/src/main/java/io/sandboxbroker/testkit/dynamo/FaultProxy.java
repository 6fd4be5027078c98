package io.sandboxbroker.testkit.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP server between the AWS SDK and dynalite that makes dynalite behave more like DynamoDB on a bad
 * day: writes applied but answered with an error (so the SDK retries a write that already happened), index
 * reads that lag the table, throttling bursts and latency. See {@link Fault} for the rules.
 *
 * <pre>{@code
 * try (Dynalite dynalite = Dynalite.start();
 *      FaultProxy proxy = FaultProxy.start(dynalite.endpoint(), 42L,
 *              Fault.appliedThen500().probability(0.2),
 *              Fault.indexLag(Duration.ofMillis(200), Duration.ofSeconds(3)))) {
 *     DynamoDbClient client = ... .endpointOverride(proxy.endpoint()) ...;
 *     ...
 *     System.out.println(proxy);   // FaultProxy{requests=5120, applied_then_500=311, index_lag=870}
 * }
 * }</pre>
 *
 * <p>Every rule draws from its own random stream split from the seed, so a given sequence of requests meets the
 * same faults every time (concurrent clients make the sequence itself vary). For each request, in this order:
 * latency rules add their delay; the first throttling rule that fires answers 400 without forwarding; a
 * Query/Scan naming an index is answered from the lagging copy when an index-lag rule fires, else from dynalite;
 * after a write that dynalite accepted, the first applied-then-… rule that fires replaces the answer, unless the
 * write is the retry of one it already failed that way (the same request body): those faults are transient, as in
 * DynamoDB, so a retried idempotent write goes through and a retried conditional one meets its own change. All writes
 * must pass the proxy (create tables through it too) for the lagging copy to be complete.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final String REQUESTS = "requests";

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm and the client's delayed ACK
        // every answer would wait ~40 ms. Read once, when the first server of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final DynamoWire primary;
    private final List<Rule> rules;
    private final Optional<LaggingIndexes> laggingIndexes;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();
    /** Bodies of writes failed after they were applied; their retries pass (bounded, oldest forgotten first). */
    private final Set<String> failedAfterApplying = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    });

    private final Map<String, AtomicLong> byOperation = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile boolean enabled = true;

    private FaultProxy(URI target, long seed, List<Fault> faults) throws IOException {
        this.primary = new DynamoWire(target, json);
        SplittableRandom root = new SplittableRandom(seed);
        List<Rule> built = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Fault fault : faults) {
            String name = fault.name();
            for (int n = 2; !names.add(name); n++) {
                name = fault.name() + "#" + n;
            }
            built.add(new Rule(fault, name, root.split()));
        }
        this.rules = List.copyOf(built);
        this.laggingIndexes = laggedRange(faults)
                .map(range -> new LaggingIndexes(json, primary, range[0], range[1], root.nextLong()));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy to {@code target} (a dynalite endpoint) on a free loopback port, seed 0. */
    public static FaultProxy start(URI target, Fault... faults) {
        return start(target, 0L, faults);
    }

    public static FaultProxy start(URI target, long seed, Fault... faults) {
        return start(target, seed, Arrays.asList(faults));
    }

    public static FaultProxy start(URI target, long seed, List<Fault> faults) {
        try {
            return new FaultProxy(target, seed, faults);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the DynamoDB fault proxy", e);
        }
    }

    /** Where the SDK should point: {@code endpointOverride(proxy.endpoint())}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Turns every rule on again (the default); rules disabled by name stay off. */
    public void enable() {
        enabled = true;
    }

    /** Passes every request through untouched (index reads then see the table itself) until {@link #enable()}. */
    public void disable() {
        enabled = false;
    }

    public void enable(String ruleName) {
        rule(ruleName).enabled = true;
    }

    public void disable(String ruleName) {
        rule(ruleName).enabled = false;
    }

    /** How many requests each rule hit, by rule name, after {@code requests} (all requests seen). */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(REQUESTS, requests.get());
        rules.forEach(rule -> counts.put(rule.name, rule.injected()));
        return counts;
    }

    /** Requests seen, by operation (and index, e.g. {@code Query/due}), to see what a workload costs. */
    public Map<String, Long> operations() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byOperation.forEach((op, count) -> counts.put(op, count.get()));
        return counts;
    }

    /** How many requests the named rule hit so far. */
    public long injected(String ruleName) {
        return rule(ruleName).injected();
    }

    /** Item changes not yet visible to lagging index reads (0 without an index-lag rule). */
    public int pendingIndexUpdates() {
        return laggingIndexes.map(LaggingIndexes::pending).orElse(0);
    }

    @Override
    public String toString() {
        return "FaultProxy"
                + counts().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        laggingIndexes.ifPresent(LaggingIndexes::close);
    }

    private Rule rule(String name) {
        return rules.stream()
                .filter(rule -> rule.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fault rule named " + name + "; rules: "
                        + rules.stream().map(rule -> rule.name).toList()));
    }

    private static Optional<Duration[]> laggedRange(List<Fault> faults) {
        List<Fault> lags =
                faults.stream().filter(f -> f.kind() == Fault.Kind.INDEX_LAG).toList();
        if (lags.isEmpty()) {
            return Optional.empty();
        }
        Duration min = lags.stream().map(Fault::min).min(Duration::compareTo).orElseThrow();
        Duration max = lags.stream().map(Fault::max).max(Duration::compareTo).orElseThrow();
        return Optional.of(new Duration[] {min, max});
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = readAll(exchange.getRequestBody());
            requests.incrementAndGet();
            Request request = Request.parse(json, exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            byOperation
                    .computeIfAbsent(
                            request.operation()
                                    + request.index().map(i -> "/" + i).orElse(""),
                            op -> new AtomicLong())
                    .incrementAndGet();
            List<Rule> active = enabled
                    ? rules.stream().filter(rule -> rule.matches(request)).toList()
                    : List.of();

            for (Rule rule : active) {
                if (rule.fault.kind() == Fault.Kind.LATENCY && rule.fire()) {
                    pause(rule.jitter());
                }
            }
            for (Rule rule : active) {
                if (isThrottle(rule.fault.kind()) && rule.fire()) {
                    sendError(exchange, 400, throttleType(rule.fault.kind()), throttleMessage(rule.fault.kind()));
                    return;
                }
            }

            DynamoWire.Answer answer = answer(exchange, request, body, active);
            afterWrite(request, answer);

            if (answer.ok() && !isRetryOfFailed(body)) {
                for (Rule rule : active) {
                    if (rule.fault.appliesFirst() && rule.fire()) {
                        rememberFailed(body);
                        failAfterApplying(exchange, rule.fault);
                        return;
                    }
                }
            }
            send(exchange, answer);
        } catch (IOException | RuntimeException e) {
            // The client sees the connection close, as it would if DynamoDB went away mid-request.
            LOG.warn("fault proxy could not serve a request: {}", e.toString());
        }
    }

    private boolean isRetryOfFailed(byte[] body) {
        synchronized (failedAfterApplying) {
            return failedAfterApplying.contains(digest(body));
        }
    }

    private void rememberFailed(byte[] body) {
        synchronized (failedAfterApplying) {
            failedAfterApplying.add(digest(body));
        }
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private DynamoWire.Answer answer(HttpExchange exchange, Request request, byte[] body, List<Rule> active)
            throws IOException {
        if (laggingIndexes.isPresent() && request.index().isPresent()) {
            for (Rule rule : active) {
                if (rule.fault.kind() == Fault.Kind.INDEX_LAG && rule.fire()) {
                    return laggingIndexes.get().read(exchange.getRequestHeaders(), body, request.table());
                }
            }
        }
        return primary.forward(exchange.getRequestHeaders(), body);
    }

    private void afterWrite(Request request, DynamoWire.Answer answer) {
        if (laggingIndexes.isEmpty()) {
            return;
        }
        if (Fault.WRITES.contains(request.operation())) {
            // a 400 (failed condition, bad request) changed nothing; any other answer may have, so the items are
            // read back: a snapshot is the truth whatever the answer was
            if (answer.status() != 400) {
                laggingIndexes.get().afterWrite(request.operation(), request.body());
            }
        } else if (request.operation().equals("DeleteTable") && answer.ok()) {
            laggingIndexes.get().afterDeleteTable(request.table());
        }
    }

    private void failAfterApplying(HttpExchange exchange, Fault fault) throws IOException {
        switch (fault.kind()) {
            case APPLIED_THEN_500 ->
                sendError(
                        exchange,
                        500,
                        "com.amazonaws.dynamodb.v20120810#InternalServerError",
                        "Internal server error (injected after the write was applied)");
            case APPLIED_THEN_STALL -> {
                pause(fault.max());
                closeWithoutAnswer(exchange);
            }
            default -> closeWithoutAnswer(exchange);
        }
    }

    /** Closing an exchange before its response headers makes the JDK server drop the connection. */
    private static void closeWithoutAnswer(HttpExchange exchange) {
        exchange.close();
    }

    private static boolean isThrottle(Fault.Kind kind) {
        return kind == Fault.Kind.THROTTLING || kind == Fault.Kind.PROVISIONED_THROUGHPUT_EXCEEDED;
    }

    private static String throttleType(Fault.Kind kind) {
        return kind == Fault.Kind.THROTTLING
                ? "com.amazon.coral.availability#ThrottlingException"
                : "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
    }

    private static String throttleMessage(Fault.Kind kind) {
        return kind == Fault.Kind.THROTTLING
                ? "Rate of requests exceeds the allowed throughput."
                : "The level of configured provisioned throughput for the table was exceeded. "
                        + "Consider increasing your provisioning level with the UpdateTable API.";
    }

    private void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = json.writeValueAsBytes(Map.of("__type", type, "message", message));
        exchange.getResponseHeaders().set("Content-Type", DynamoWire.CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void send(HttpExchange exchange, DynamoWire.Answer answer) throws IOException {
        answer.headers().forEach((name, values) -> {
            if (!DynamoWire.isHopHeader(name) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the proxy needs to know of one request. */
    private record Request(String operation, JsonNode body, Set<String> tables, Optional<String> index) {
        static Request parse(ObjectMapper json, String target, byte[] bytes) {
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            JsonNode body;
            try {
                body = json.readTree(bytes);
            } catch (IOException notJson) {
                body = json.createObjectNode();
            }
            if (body == null) {
                body = json.createObjectNode();
            }
            Set<String> tables = new HashSet<>();
            if (body.hasNonNull("TableName")) {
                tables.add(body.path("TableName").asText());
            }
            body.path("RequestItems").fieldNames().forEachRemaining(tables::add);
            for (JsonNode action : body.path("TransactItems")) {
                action.elements().forEachRemaining(write -> {
                    if (write.hasNonNull("TableName")) {
                        tables.add(write.path("TableName").asText());
                    }
                });
            }
            Optional<String> index = body.hasNonNull("IndexName")
                    ? Optional.of(body.path("IndexName").asText())
                    : Optional.empty();
            return new Request(operation, body, Set.copyOf(tables), index);
        }

        String table() {
            return tables.stream().findFirst().orElse("");
        }
    }

    /** A fault with its own random stream, burst state and count. */
    private static final class Rule {
        final Fault fault;
        final String name;
        private final SplittableRandom random;
        private int burstLeft;
        private long injected;
        volatile boolean enabled = true;

        Rule(Fault fault, String name, SplittableRandom random) {
            this.fault = fault;
            this.name = name;
            this.random = random;
        }

        boolean matches(Request request) {
            return enabled && fault.matches(request.operation(), request.tables(), request.index());
        }

        synchronized boolean fire() {
            if (injected >= fault.times()) {
                return false;
            }
            if (burstLeft > 0) {
                burstLeft--;
                injected++;
                return true;
            }
            if (fault.probability() >= 1.0 || random.nextDouble() < fault.probability()) {
                burstLeft = fault.burst() - 1;
                injected++;
                return true;
            }
            return false;
        }

        synchronized Duration jitter() {
            long span = fault.max().toNanos() - fault.min().toNanos();
            return fault.min().plusNanos(span <= 0 ? 0 : random.nextLong(span + 1));
        }

        synchronized long injected() {
            return injected;
        }
    }
}
