package io.sandboxbroker.broker.support;

import static org.awaitility.Awaitility.await;

import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.testkit.provider.FakeProvider;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The broker as a real JVM process (`jobs` or `server`), its output captured line by line. */
public final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private BrokerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "broker-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static BrokerProcess start(String command, Path config, Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classpath(),
                        BrokerApplication.class.getName(),
                        command,
                        config.toString())
                .redirectErrorStream(true);
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("BROKER_")
                        || k.startsWith("CSP_")
                        || k.startsWith("DDB_")
                        || k.startsWith("JOBS_")
                        || k.startsWith("SYNC_")
                        || k.startsWith("NIOSXAAS_"));
        builder.environment().putAll(env);
        try {
            return new BrokerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code jobs} process from {@code config/local.yml} on the shared dynalite and the given
     * tables and fake provider, with fast check-ins; {@code extra} adds or overrides variables.
     */
    public static BrokerProcess jobs(
            String table, FakeProvider provider, String instanceId, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DDB_ENDPOINT",
                TestDynamo.endpoint(),
                "DDB_TABLE_NAME",
                table,
                "DDB_QUARTZ_TABLE_NAME",
                table + "-quartz",
                "CSP_BASE_URL",
                provider.cspBaseUri().toString(),
                "CSP_API_TOKEN",
                provider.config().cspToken(),
                "BROKER_ADMIN_PORT",
                "0",
                "JOBS_INSTANCE_ID",
                instanceId,
                "JOBS_CHECKIN_INTERVAL_MS",
                "1000",
                "JOBS_IDLE_WAIT_MS",
                "500"));
        env.putAll(extra);
        return start("jobs", Repo.path("config/local.yml"), env);
    }

    /** The admin port Jetty picked (the process was started with port 0), from its "Started admin@" line. */
    public int adminPort() {
        awaitLine(l -> l.contains("Started admin@"), Duration.ofSeconds(60));
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("Started admin@.*:(\\d+)\\}")
                .matcher(lines().stream()
                        .filter(l -> l.contains("Started admin@"))
                        .findFirst()
                        .orElseThrow());
        if (!port.find()) {
            throw new IllegalStateException("no admin port in the start-up line");
        }
        return Integer.parseInt(port.group(1));
    }

    public void awaitLine(Predicate<String> line, Duration within) {
        await().atMost(within).until(() -> lines.stream().anyMatch(line) || !process.isAlive());
        if (lines.stream().noneMatch(line)) {
            throw new AssertionError(
                    "the process ended without the expected line; its output:\n" + String.join("\n", lines));
        }
    }

    /** Waits for the process to end (a command such as {@code check}); returns its exit code. */
    public int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError(
                    "the process did not end within " + within + "; its output:\n" + String.join("\n", lines));
        }
        // the reader thread may still be draining the last lines
        await().atMost(Duration.ofSeconds(5)).until(() -> !reader.isAlive());
        return process.exitValue();
    }

    public String output() {
        return String.join("\n", lines);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, as ECS stops a task: waits for the process to end and its last lines to be read.
     * Through the process handle, because {@link Process#destroy()} also closes the pipes, and
     * what the process logs while stopping would be lost.
     */
    public int terminate(Duration within) throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit(within);
    }

    /** SIGKILL: no shutdown hook, no clean release of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void read() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    /** Surefire and failsafe start the test JVM from a manifest-only jar; the real path is in this property. */
    private static String classpath() {
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null || classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        if (!classpath.contains("broker-service")) {
            throw new IllegalStateException(
                    "unexpected test classpath: " + classpath.split(File.pathSeparator)[0]);
        }
        return classpath;
    }
}
