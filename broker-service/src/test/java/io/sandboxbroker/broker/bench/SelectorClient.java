package io.sandboxbroker.broker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The storm's load generator: one thread and one selector drive {@code concurrency} keep-alive
 * HTTP/1.1 connections, each with one request in flight. The lab scripts' requests come from other
 * machines; here the generator shares two cores with the API and dynalite, so it must cost as
 * little as it can. A blocking client needs a thread per connection, and every reply woke its own
 * thread: 0.16-0.49 ms of CPU per request, against nothing on the floor's side.
 */
final class SelectorClient {
    record Request(String baseUrl, String path, Map<String, String> headers) {}

    record Reply(int status, String body, long nanos) {}

    interface Replies {
        void accept(int index, Reply reply);
    }

    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private SelectorClient() {}

    /**
     * Sends requests 0..count-1, at most {@code concurrency} at once, and hands each reply to
     * {@code replies} (on this thread). Returns the wall time, in nanoseconds.
     */
    static long run(int count, int concurrency, IntFunction<Request> requests, Replies replies) {
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            List<Slot> slots = new ArrayList<>();
            int next = 0;
            for (int s = 0; s < concurrency && next < count; s++, next++) {
                Slot slot = new Slot(selector);
                slots.add(slot);
                slot.send(next, requests.apply(next));
            }
            int done = 0;
            while (done < count) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    Slot slot = (Slot) key.attachment();
                    if (!slot.owns(key)) {
                        // the server closed the slot's idle connection to the other process
                        key.channel().close();
                        continue;
                    }
                    if (key.isWritable()) {
                        slot.flush();
                    }
                    if (key.isReadable()) {
                        Reply reply = slot.read();
                        if (reply != null) {
                            replies.accept(slot.index, reply);
                            done++;
                            if (next < count) {
                                slot.send(next, requests.apply(next));
                                next++;
                            }
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            long wall = System.nanoTime() - start;
            slots.forEach(Slot::close);
            return wall;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request at a time, on a connection per base URL kept open while the server keeps it. */
    private static final class Slot {
        private final Selector selector;
        private final Map<String, SocketChannel> connections = new HashMap<>();
        private SocketChannel channel;
        private ByteBuffer out;
        private byte[] in = new byte[4096];
        private int filled;
        private int index;
        private Request request;
        private long startedAt;
        private boolean resent;

        Slot(Selector selector) {
            this.selector = selector;
        }

        void send(int index, Request request) throws IOException {
            this.index = index;
            this.request = request;
            this.startedAt = System.nanoTime();
            this.resent = false;
            start();
        }

        private void start() throws IOException {
            filled = 0;
            channel = connections.get(request.baseUrl());
            if (channel == null || !channel.isOpen()) {
                channel = open(request.baseUrl());
                connections.put(request.baseUrl(), channel);
                channel.register(selector, SelectionKey.OP_READ, this);
            }
            out = ByteBuffer.wrap(bytesOf(request, channel));
            flush();
        }

        /** Whether the key is the connection the slot's request is on (replies come only there). */
        boolean owns(SelectionKey key) {
            return out != null && key.channel() == channel;
        }

        void flush() throws IOException {
            channel.write(out);
            SelectionKey key = channel.keyFor(selector);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** The reply once it is complete, else null. */
        Reply read() throws IOException {
            if (filled == in.length) {
                in = Arrays.copyOf(in, in.length * 2);
            }
            int read;
            try {
                read = channel.read(ByteBuffer.wrap(in, filled, in.length - filled));
            } catch (IOException reset) {
                read = -1;
            }
            if (read < 0) {
                channel.close();
                if (filled == 0 && !resent) {
                    // the server closed an idle connection: one new attempt on a fresh one
                    resent = true;
                    start();
                    return null;
                }
                throw new IOException("connection closed during a reply");
            }
            filled += read;
            Reply reply = parse();
            if (reply != null) {
                out = null;
            }
            return reply;
        }

        private Reply parse() throws IOException {
            int headerEnd = indexOf(in, filled, 0, HEADER_END);
            if (headerEnd < 0) {
                return null;
            }
            String head = new String(in, 0, headerEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            int bodyStart = headerEnd + 4;
            String body = chunked ? chunkedBody(bodyStart) : fixedBody(bodyStart, Math.max(length, 0));
            if (body == null) {
                return null;
            }
            if (close) {
                channel.close();
            }
            return new Reply(status, body, System.nanoTime() - startedAt);
        }

        private String fixedBody(int from, int length) {
            return filled < from + length ? null : new String(in, from, length, StandardCharsets.UTF_8);
        }

        private String chunkedBody(int from) {
            StringBuilder body = new StringBuilder();
            int at = from;
            while (true) {
                int lineEnd = indexOf(in, filled, at, CRLF);
                if (lineEnd < 0) {
                    return null;
                }
                String sizeLine = new String(in, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                int dataStart = lineEnd + 2;
                if (filled < dataStart + size + 2) {
                    return null;
                }
                if (size == 0) {
                    return body.toString();
                }
                body.append(new String(in, dataStart, size, StandardCharsets.UTF_8));
                at = dataStart + size + 2;
            }
        }

        void close() {
            connections.values().forEach(c -> {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing at the end of a run
                }
            });
        }

        private static SocketChannel open(String baseUrl) throws IOException {
            URI uri = URI.create(baseUrl);
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            return channel;
        }

        private static byte[] bytesOf(Request request, SocketChannel channel) throws IOException {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            StringBuilder text = new StringBuilder(256)
                    .append("POST ")
                    .append(request.path())
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(remote.getHostString())
                    .append(':')
                    .append(remote.getPort())
                    .append("\r\nContent-Length: 0\r\n");
            request.headers()
                    .forEach((name, value) ->
                            text.append(name).append(": ").append(value).append("\r\n"));
            return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private static int indexOf(byte[] data, int length, int from, byte[] pattern) {
            outer:
            for (int i = from; i <= length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
