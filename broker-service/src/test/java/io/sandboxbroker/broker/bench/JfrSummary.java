package io.sandboxbroker.broker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording of the API process spent its time (scripts/bench-allocation.sh PROFILE=1).
 * The top frame of a CPU sample says little in a request path made of library calls, so it
 * prints, on request threads only ({@code dw-*}, Jetty's pool):
 *
 * <ul>
 *   <li>CPU samples: self time by method and by package, inclusive counts by package and by our own methods
 *       ({@code io.sandboxbroker}), each frame counted once per sample;
 *   <li>wall-clock waits (thread parks, socket reads, monitor entries): count and total time,
 *       by the first of our frames and by the frame that waits.
 * </ul>
 *
 * Usage: {@code JfrSummary <recording.jfr> [threadPrefix]}.
 */
public final class JfrSummary {
    private static final String OURS = "io.sandboxbroker.";
    private static final List<String> WAITS = List.of("jdk.ThreadPark", "jdk.SocketRead", "jdk.JavaMonitorEnter");
    private static final int TOP = 20;

    private JfrSummary() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String threads = args.length > 1 ? args[1] : "dw-";
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> selfByPackage = new HashMap<>();
        Map<String, Long> byPackage = new HashMap<>();
        Map<String, Long> ourMethods = new HashMap<>();
        Map<String, Map<String, long[]>> waitsByOurs = new HashMap<>();
        Map<String, Map<String, long[]>> waitsByFrame = new HashMap<>();
        long samples = 0;
        long allSamples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                boolean sample = type.equals("jdk.ExecutionSample");
                if (!sample && !WAITS.contains(type)) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                allSamples += sample ? 1 : 0;
                String thread = threadName(event, sample ? "sampledThread" : "eventThread");
                if (thread == null || !thread.startsWith(threads)) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                if (sample) {
                    samples++;
                    self.merge(method(frames.get(0)), 1L, Long::sum);
                    selfByPackage.merge(packageOf(frames.get(0)), 1L, Long::sum);
                    Set<String> packages = new HashSet<>();
                    Set<String> methods = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        packages.add(packageOf(frame));
                        if (typeName(frame).startsWith(OURS)) {
                            methods.add(method(frame));
                        }
                    }
                    packages.forEach(p -> byPackage.merge(p, 1L, Long::sum));
                    methods.forEach(m -> ourMethods.merge(m, 1L, Long::sum));
                } else {
                    long nanos = event.getDuration().toNanos();
                    String ours = frames.stream()
                            .filter(f -> typeName(f).startsWith(OURS))
                            .findFirst()
                            .map(JfrSummary::method)
                            .orElse("(none of ours)");
                    add(waitsByOurs, type, ours, nanos);
                    add(waitsByFrame, type, waiter(frames), nanos);
                }
            }
        }
        System.out.printf(
                "CPU samples on %s* threads: %d (of %d in the process; JIT and GC threads are never sampled)%n",
                threads, samples, allSamples);
        print("self (top frame)", self, samples);
        print("self by package (which library burns the CPU)", selfByPackage, samples);
        print("inclusive by package", byPackage, samples);
        print("inclusive by our methods", ourMethods, samples);
        for (String type : WAITS) {
            printWaits(type + " by our first frame", waitsByOurs.getOrDefault(type, Map.of()));
            printWaits(type + " by waiting frame", waitsByFrame.getOrDefault(type, Map.of()));
        }
    }

    private static void add(Map<String, Map<String, long[]>> into, String type, String key, long nanos) {
        long[] totals = into.computeIfAbsent(type, t -> new HashMap<>()).computeIfAbsent(key, k -> new long[2]);
        totals[0]++;
        totals[1] += nanos;
    }

    /** The first frame outside the JDK's locking and I/O plumbing: what actually waits. */
    private static String waiter(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = typeName(frame);
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return method(frame);
            }
        }
        return method(frames.get(frames.size() - 1));
    }

    private static String threadName(RecordedEvent event, String field) {
        try {
            return event.getThread(field) == null
                    ? null
                    : event.getThread(field).getJavaName();
        } catch (IllegalArgumentException noSuchField) {
            return null;
        }
    }

    private static String typeName(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName();
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod() == null
                ? "?"
                : typeName(frame) + "." + frame.getMethod().getName();
    }

    /** A package cut to three segments (software.amazon.awssdk, org.eclipse.jetty), enough to name a library. */
    private static String packageOf(RecordedFrame frame) {
        String type = typeName(frame);
        String[] parts = type.split("\\.");
        int keep = Math.min(type.startsWith(OURS) ? 4 : 3, parts.length - 1);
        return String.join(".", List.of(parts).subList(0, Math.max(1, keep)));
    }

    private static void print(String title, Map<String, Long> counts, long total) {
        System.out.printf("%n-- %s --%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP)
                .forEach(e -> System.out.printf(
                        "%7d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }

    private static void printWaits(String title, Map<String, long[]> waits) {
        long count = waits.values().stream().mapToLong(t -> t[0]).sum();
        long nanos = waits.values().stream().mapToLong(t -> t[1]).sum();
        System.out.printf(
                "%n-- %s: %d waits, %d ms in all --%n",
                title, count, Duration.ofNanos(nanos).toMillis());
        waits.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(TOP)
                .forEach(e -> System.out.printf(
                        "%8d ms %7d waits  %s%n", e.getValue()[1] / 1_000_000, e.getValue()[0], e.getKey()));
    }
}
