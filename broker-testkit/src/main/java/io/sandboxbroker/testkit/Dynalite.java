package io.sandboxbroker.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real dynalite process (the project's pinned npm package) on a free loopback port.
 *
 * <p>Tests and the local run use it instead of DynamoDB. It keeps data in memory unless a
 * directory is given. {@link #stop()} and {@link #restart()} let tests take DynamoDB away and
 * bring it back on the same endpoint.
 */
public final class Dynalite implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path cli;
    private final Optional<Path> dataDir;
    private final int port;
    private Process process;
    /** The last lines dynalite printed: why it exited, when it did. */
    private final java.util.Deque<String> output = new java.util.ArrayDeque<>();

    private Dynalite(Path cli, Optional<Path> dataDir, int port) {
        this.cli = cli;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts an in-memory dynalite on a free port. */
    public static Dynalite start() {
        return start(Optional.empty(), 0);
    }

    /** Starts dynalite on {@code port} (0 = any free port), persisting to {@code dataDir} if given. */
    public static Dynalite start(Optional<Path> dataDir, int port) {
        Path cli = ProjectRoot.find().resolve("node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("dynalite is not installed at " + cli
                    + "; run `npm ci` in the project root (scripts/test.sh does it for you)");
        }
        Dynalite dynalite = new Dynalite(cli, dataDir, port == 0 ? freePort() : port);
        dynalite.launch();
        return dynalite;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process; the endpoint refuses connections until {@link #restart()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts again on the same port. An in-memory instance comes back empty. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(
                node(),
                cli.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0"));
        dataDir.ifPresent(dir -> {
            command.add("--path");
            command.add(dir.toString());
        });
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start dynalite with " + command, e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        Thread drain = new Thread(() -> drain(started, output), "dynalite-" + port + "-output");
        drain.setDaemon(true);
        drain.start();
        awaitListening(started);
    }

    private void awaitListening(Process started) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!started.isAlive()) {
                throw new IllegalStateException("dynalite exited with " + started.exitValue() + " on port " + port);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        started.destroyForcibly();
        throw new IllegalStateException("dynalite did not listen on port " + port + " within " + START_TIMEOUT);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting dynalite", e);
        }
    }

    /** Its output and exit code, for a test that finds it gone. */
    public synchronized String lastOutput() {
        String exit = process == null || process.isAlive() ? "running" : "exit code " + process.exitValue();
        synchronized (output) {
            return exit + ": " + String.join(" | ", output);
        }
    }

    private static void drain(Process started, java.util.Deque<String> output) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > 40) {
                        output.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    private static String node() {
        return Optional.ofNullable(System.getenv("NODE")).orElse("node");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finds the project root: {@code -Dbroker.root}, else the nearest ancestor holding package.json. */
    static final class ProjectRoot {
        private ProjectRoot() {}

        static Path find() {
            String configured = System.getProperty("broker.root");
            if (configured != null && !configured.isBlank()) {
                return Paths.get(configured).toAbsolutePath();
            }
            for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("package.json"))
                        && Files.isDirectory(dir.resolve("node_modules"))) {
                    return dir;
                }
            }
            throw new IllegalStateException(
                    "cannot find the project root (package.json with node_modules); " + "set -Dbroker.root");
        }
    }
}
