package io.sandboxbroker.broker.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The storm's load generator: one persistent HTTP/1.1 connection per worker thread and target, blocking reads, no
 * pooling or futures. On a two-core machine the benchmark's client shares the CPU with the API and dynalite; the
 * JDK's HttpClient took 1.4–1.9 ms of CPU per request, as much as dynalite itself, which measured the client.
 */
final class KeepAliveClient {
    record Reply(int status, String body) {}

    private static final ThreadLocal<Map<String, Connection>> CONNECTIONS = ThreadLocal.withInitial(HashMap::new);

    private KeepAliveClient() {}

    static Reply post(String baseUrl, String path, Map<String, String> headers) {
        Connection connection = CONNECTIONS.get().computeIfAbsent(baseUrl, Connection::open);
        try {
            return connection.post(path, headers);
        } catch (IOException e) {
            // the server closed an idle connection: one new attempt on a fresh one
            connection.close();
            Connection fresh = Connection.open(baseUrl);
            CONNECTIONS.get().put(baseUrl, fresh);
            try {
                return fresh.post(path, headers);
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        private Connection(Socket socket, String host) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
            this.host = host;
        }

        static Connection open(String baseUrl) {
            URI uri = URI.create(baseUrl);
            try {
                Socket socket = new Socket(uri.getHost(), uri.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                return new Connection(socket, uri.getHost() + ":" + uri.getPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Reply post(String path, Map<String, String> headers) throws IOException {
            StringBuilder request = new StringBuilder(256)
                    .append("POST ")
                    .append(path)
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(host)
                    .append("\r\nContent-Length: 0\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            return new Reply(
                    code,
                    chunked ? chunkedBody() : new String(in.readNBytes(Math.max(length, 0)), StandardCharsets.UTF_8));
        }

        private String chunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
            return body.toString(StandardCharsets.UTF_8);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }
}
