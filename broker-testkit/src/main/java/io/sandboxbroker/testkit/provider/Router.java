package io.sandboxbroker.testkit.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every request: read it, find the API that serves it, wait out latency and hangs, then
 * let an error burst, a refusal, a per-account failure or the API itself reply. The call is
 * recorded before the reply is sent so that a client that has its answer can already see it.
 */
final class Router implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final ObjectMapper json;
    private final Clock clock;
    private final List<ProviderApi> apis;
    private final Faults faults;
    private final CallLog calls;
    private final AtomicInteger inFlight = new AtomicInteger();

    Router(ObjectMapper json, Clock clock, List<ProviderApi> apis, Faults faults, CallLog calls) {
        this.json = json;
        this.clock = clock;
        this.apis = List.copyOf(apis);
        this.faults = faults;
        this.calls = calls;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            Instant received = clock.instant();
            ProviderRequest request = read(exchange);
            Optional<ProviderApi> api =
                    apis.stream().filter(a -> a.serves(request.path())).findFirst();
            Optional<String> account = api.flatMap(a -> a.accountOf(request));
            if (!pause(faults.delayFor(request.method(), request.path()))) {
                return; // the server is closing; nobody is waiting for this answer
            }
            Reply reply = answer(request, api, account);
            calls.record(
                    new Call(request.method(), request.path(), account, received, clock.instant(), reply.status()));
            LOG.debug(
                    "method={} path={} account={} status={}",
                    request.method(),
                    request.path(),
                    account.orElse("-"),
                    reply.status());
            send(exchange, reply);
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    /** Requests received and not yet answered, e.g. ones waiting out a hang. */
    int inFlight() {
        return inFlight.get();
    }

    private Reply answer(ProviderRequest request, Optional<ProviderApi> api, Optional<String> account) {
        try {
            return faults.burstFor(request.method(), request.path())
                    .or(() -> api.isEmpty() ? Optional.of(Reply.error(404, "no such resource")) : Optional.empty())
                    .or(() -> api.get().refusal(request))
                    .or(() -> faults.accountFailure(account))
                    .orElseGet(() -> api.get().handle(request));
        } catch (RuntimeException e) {
            // A bug in the fake must not look like a hung provider to the client under test.
            LOG.error("fake provider failed method={} path={}", request.method(), request.path(), e);
            return Reply.error(500, "fake provider bug: " + e);
        }
    }

    private static ProviderRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        return new ProviderRequest(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                ProviderRequest.parseQuery(exchange.getRequestURI().getRawQuery()),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                body);
    }

    private void send(HttpExchange exchange, Reply reply) {
        try {
            if (reply.body().isEmpty()) {
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            byte[] bytes = json.writeValueAsBytes(reply.body().get());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGone) {
            // Expected after a hang: the client timed out and closed the connection.
            LOG.debug("could not answer path={}: {}", exchange.getRequestURI().getRawPath(), clientGone.toString());
        }
    }

    /** Sleeps for {@code delay}; false if interrupted, which only happens when the server closes. */
    private static boolean pause(Duration delay) {
        if (delay.isZero()) {
            return true;
        }
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
