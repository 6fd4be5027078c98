package io.sandboxbroker.broker.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Python lab script run as a track runs it: {@code python3 script} in a directory of its own,
 * with only the environment given (nothing inherited but PATH and HOME), its output collected
 * line by line while it runs.
 */
public final class LabScript implements AutoCloseable {
    private static final Duration LONGEST_RUN = Duration.ofMinutes(3);

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private LabScript(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "lab-script-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** One of the shipped scripts in {@code lab-scripts/}. */
    public static Path shipped(String name) {
        return Path.of(System.getProperty("broker.root", ".."), "lab-scripts", name)
                .toAbsolutePath();
    }

    public static LabScript start(Path script, Path workDir, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder("python3", script.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        Map<String, String> inherited = new HashMap<>();
        for (String keep : new String[] {"PATH", "HOME", "LANG"}) {
            if (System.getenv(keep) != null) {
                inherited.put(keep, System.getenv(keep));
            }
        }
        environment.clear();
        environment.putAll(inherited);
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        environment.putAll(env);
        try {
            return new LabScript(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end; the exit code. */
    public static Result run(Path script, Path workDir, Map<String, String> env) {
        try (LabScript running = start(script, workDir, env)) {
            return running.await();
        }
    }

    /** Waits until a line of output contains {@code text} (the script is still running or done). */
    public LabScript awaitOutput(String text) {
        Awaitility.await()
                .atMost(LONGEST_RUN)
                .until(() -> lines.stream().anyMatch(l -> l.contains(text)) || !process.isAlive());
        if (lines.stream().noneMatch(l -> l.contains(text))) {
            throw new AssertionError("the script ended without printing \"" + text + "\":\n" + output());
        }
        return this;
    }

    public Result await() {
        try {
            if (!process.waitFor(LONGEST_RUN.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the script is still running:\n" + output());
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new Result(process.exitValue(), output());
    }

    public String output() {
        return String.join("\n", lines);
    }

    private void readOutput() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("<output lost: " + e + ">");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** How a run ended. */
    public record Result(int exitCode, String output) {
        /** The content of a state file the script wrote, or null when it wrote none. */
        public static String file(Path dir, String name) {
            try {
                return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
