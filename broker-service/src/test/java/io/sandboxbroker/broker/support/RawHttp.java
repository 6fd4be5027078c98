package io.sandboxbroker.broker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends bytes no well-behaved HTTP client would, and reads the status line and body. */
public final class RawHttp {
    /** The status and everything after the head. */
    public record Answer(int status, String head, String body) {}

    private RawHttp() {}

    public static Answer send(int port, String request) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Answer send(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            String response = readAll(socket.getInputStream());
            int split = response.indexOf("\r\n\r\n");
            String head = split < 0 ? response : response.substring(0, split);
            String body = split < 0 ? "" : response.substring(split + 4);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Like {@link #send(int, byte[])}, for requests the server may refuse half-way: a connection
     * reset while writing or reading, or a close without an answer, gives status -1 instead of an
     * exception.
     */
    public static Answer attempt(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (IOException refusedWhileWriting) {
                // The server answered early and closed; its answer may still be readable.
            }
            try {
                socket.getInputStream().transferTo(received);
            } catch (IOException reset) {
                // Whatever arrived before the reset is the answer.
            }
            String response = received.toString(StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 ") || response.length() < 12) {
                return new Answer(-1, response, "");
            }
            int split = response.indexOf("\r\n\r\n");
            String head = split < 0 ? response : response.substring(0, split);
            String body = split < 0 ? "" : response.substring(split + 4);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
