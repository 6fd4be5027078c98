package io.sandboxbroker.broker.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server that takes webhook posts, records each, and answers 500 to the next few when told to. */
public final class WebhookReceiver implements AutoCloseable {

    /** One post as it arrived. */
    public record Received(Map<String, List<String>> headers, byte[] body, int answered) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status = receiver.failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
                synchronized (receiver.received) {
                    receiver.received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next {@code count} posts get 500. */
    public void failNext(int count) {
        failures.set(count);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
