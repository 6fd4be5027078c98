package io.sandboxbroker.broker.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the processes a benchmark runs against (named pids from {@code CPU_PIDS}, e.g.
 * {@code api=123,dynalite=456}, read from /proc) and of the benchmark's own JVM ({@code client}),
 * so a run can say what one operation costs each process: on a machine with few cores, a rate
 * is bounded by the CPU all of them take together.
 */
final class ProcessCpu {
    static final String CLIENT = "client";

    private final Map<String, Long> pids;
    private final long ticksPerSecond;
    private final long nanosPerTick;

    private ProcessCpu(Map<String, Long> pids, long ticksPerSecond) {
        this.pids = pids;
        this.ticksPerSecond = ticksPerSecond;
        this.nanosPerTick = 1_000_000_000L / ticksPerSecond;
    }

    /** {@code name=pid,…}; names may repeat (two API processes), their times are summed. */
    static ProcessCpu from(String namedPids, String ticksPerSecond) {
        Map<String, Long> pids = new LinkedHashMap<>();
        Arrays.stream(namedPids == null ? new String[0] : namedPids.split(","))
                .map(String::trim)
                .filter(entry -> entry.contains("="))
                .forEach(entry -> {
                    String[] parts = entry.split("=", 2);
                    pids.put(parts[0] + "#" + parts[1], Long.parseLong(parts[1]));
                });
        return new ProcessCpu(pids, ticksPerSecond == null ? 100 : Long.parseLong(ticksPerSecond));
    }

    /** The same processes and one more, e.g. a worker this JVM started. */
    ProcessCpu with(String name, long pid) {
        Map<String, Long> more = new LinkedHashMap<>(pids);
        more.put(name + "#" + pid, pid);
        return new ProcessCpu(more, ticksPerSecond);
    }

    /** CPU nanoseconds used so far, by process name. */
    Map<String, Long> now() {
        Map<String, Long> used = new LinkedHashMap<>();
        pids.forEach(
                (key, pid) -> used.merge(key.substring(0, key.indexOf('#')), ticks(pid) * nanosPerTick, Long::sum));
        used.put(CLIENT, ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
        return used;
    }

    /**
     * Nanoseconds the named processes' threads have spent so far runnable but waiting for a core
     * (the second field of each thread's {@code schedstat}), by process name: on a machine with
     * fewer cores than busy threads, what a single-threaded process like dynalite waits is latency
     * every request in its queue waits too.
     */
    Map<String, Long> runQueueWait() {
        Map<String, Long> waited = new LinkedHashMap<>();
        pids.forEach((key, pid) -> waited.merge(key.substring(0, key.indexOf('#')), waited(pid), Long::sum));
        waited.put(CLIENT, waited(ProcessHandle.current().pid()));
        return waited;
    }

    private static long waited(long pid) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    sum += Long.parseLong(
                            Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
        return sum;
    }

    /**
     * CPU nanoseconds used so far by the threads of the named processes, by thread name with its
     * numbers and any request Jetty names it after dropped ({@code dw-17} and {@code dw-42 - POST
     * /v1/allocate} are {@code dw-}; GC and JIT threads too).
     */
    Map<String, Long> threadsOf(String name) {
        Map<String, Long> used = new LinkedHashMap<>();
        eachThread(name, (thread, stat, schedstat) -> {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            used.merge(thread, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * nanosPerTick, Long::sum);
        });
        return used;
    }

    /**
     * How the threads of the named processes were scheduled so far, by thread name as in {@link
     * #threadsOf}: {@code "<thread> wait"}, nanoseconds runnable without a core, and {@code "<thread>
     * runs"}, times put on a core (from {@code schedstat}). Runs per request count the wake-ups a
     * request costs: each is a chance to wait for a core on a busy machine.
     */
    Map<String, Long> schedulingOf(String name) {
        Map<String, Long> scheduling = new LinkedHashMap<>();
        eachThread(name, (thread, stat, schedstat) -> {
            scheduling.merge(thread + " wait", Long.parseLong(schedstat[1]), Long::sum);
            scheduling.merge(thread + " runs", Long.parseLong(schedstat[2]), Long::sum);
        });
        return scheduling;
    }

    @FunctionalInterface
    private interface ThreadVisitor {
        void visit(String thread, String stat, String[] schedstat);
    }

    /** Each live thread of the named processes, by name, with its {@code stat} and {@code schedstat}. */
    private void eachThread(String name, ThreadVisitor visitor) {
        pidsOf(name).forEach(pid -> {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                tasks.forEach(task -> {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] schedstat = Files.readString(task.resolve("schedstat"))
                                .trim()
                                .split(" ");
                        // Jetty names a thread after the request it serves ("dw-17 - POST /v1/…"):
                        // without the suffix, its figures stay under one name between snapshots.
                        String thread = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                                .replaceAll(" - .*", "")
                                .replaceAll("[0-9]+", "");
                        visitor.visit(thread, stat, schedstat);
                    } catch (IOException | RuntimeException gone) {
                        // a thread that ended meanwhile
                    }
                });
            } catch (IOException gone) {
                // the process ended
            }
        });
    }

    private List<Long> pidsOf(String name) {
        if (name.equals(CLIENT)) {
            return List.of(ProcessHandle.current().pid());
        }
        return pids.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(name + "#"))
                .map(Map.Entry::getValue)
                .toList();
    }

    static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new LinkedHashMap<>(after);
        before.forEach((name, nanos) -> delta.merge(name, -nanos, Long::sum));
        return delta;
    }

    static Map<String, Long> plus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new LinkedHashMap<>(a);
        b.forEach((name, nanos) -> sum.merge(name, nanos, Long::sum));
        return sum;
    }

    /** utime + stime (fields 14 and 15 of /proc/pid/stat); 0 once the process is gone. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
