package io.sandboxbroker.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import io.sandboxbroker.jobs.ClusteredSchedulerFactory;
import io.sandboxbroker.jobs.ClusteredSchedulerFactory.ClusteredScheduler;
import io.sandboxbroker.jobs.DynaliteExtension;
import io.sandboxbroker.jobs.DynamoTestSupport;
import io.sandboxbroker.jobs.store.DynamoJobStoreConfig;
import io.sandboxbroker.jobs.store.table.Attr;
import io.sandboxbroker.jobs.store.table.Keys;
import io.sandboxbroker.jobs.store.table.QuartzTable;
import io.sandboxbroker.jobs.store.table.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two cluster nodes as separate JVMs; the one running a recovery-requesting job is killed with
 * {@code kill -9}. The survivor recovers it: the job re-runs, the dead node's acquired triggers are
 * released, the non-concurrent job never overlaps, and every scheduled firing runs.
 */
class ProcessClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessClusterIT.class);
    private static final int EXCLUSIVE_FIRINGS = 10;
    private static final int PLAIN_TRIGGERS = 8;

    @RegisterExtension
    static final DynaliteExtension DYNAMO = new DynaliteExtension();

    private final List<Node> nodes = new ArrayList<>();

    /** A child JVM and the lines it printed. */
    record Node(String id, Process process, List<String> lines, Writer stdin) {
        boolean printed(String prefix) {
            return lines.stream().anyMatch(line -> line.startsWith(prefix));
        }
    }

    /** A parsed RUN/END line. */
    record Event(String kind, String job, String trigger, long scheduled, long at, String node, boolean recovering) {
        static Event parse(String line) {
            String[] p = line.split(" ");
            return new Event(
                    p[0], p[1], p[2], Long.parseLong(p[3]), Long.parseLong(p[4]), p[5], Boolean.parseBoolean(p[6]));
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(node -> node.process().destroyForcibly());
        // what each node printed, to diagnose a failure
        nodes.forEach(node -> LOG.info("{} printed:\n{}", node.id(), String.join("\n", node.lines())));
    }

    @Test
    void killNineOfOneNode_survivorRecoversItsWork_andNothingRunsTwiceOrIsLost() throws Exception {
        String table = DynamoTestSupport.freshTable(DYNAMO.client(), "processes");
        long t0 = System.currentTimeMillis();
        enqueueFromStandbyScheduler(table, t0);

        nodes.add(launch("proc-A", table));
        nodes.add(launch("proc-B", table));
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(n -> n.printed("STARTED")));

        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().anyMatch(n -> n.printed("RUN recoverable")));
        Node victim = nodes.stream()
                .filter(n -> n.printed("RUN recoverable"))
                .findFirst()
                .orElseThrow();
        Node survivor = nodes.stream().filter(n -> n != victim).findFirst().orElseThrow();
        Table quartz = new Table(DYNAMO.client(), table);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !heldTriggers(quartz, victim.id()).isEmpty());

        victim.process().destroyForcibly().waitFor();
        long killedAt = System.currentTimeMillis();
        Set<String> held = heldTriggers(quartz, victim.id());
        LOG.info("killed {} holding {}", victim.id(), held);

        Duration releaseBound = ClusterNodeMain.CHECKIN
                .multipliedBy(ClusterNodeMain.FAILURE_MULTIPLE + 2)
                .plusSeconds(2);
        await().atMost(releaseBound)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> heldTriggers(quartz, victim.id()).isEmpty());
        LOG.info(
                "released {} ms after the kill (dead after {} ms without check-in)",
                System.currentTimeMillis() - killedAt,
                ClusterNodeMain.CHECKIN.toMillis() * ClusterNodeMain.FAILURE_MULTIPLE);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> survivor.lines().stream()
                        .anyMatch(line -> line.startsWith("RUN recoverable") && line.endsWith(" true")));
        int expectedExclusive = 2 * EXCLUSIVE_FIRINGS;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> firings(events("exclusive")).size() >= expectedExclusive
                        && firings(events("plain")).size() >= PLAIN_TRIGGERS);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> firings(events("exclusive")).size() == expectedExclusive);

        assertThat(duplicates(events("plain"))).isEmpty();
        assertThat(duplicates(events("exclusive"))).isEmpty();
        assertNeverOverlaps(events("exclusive"), victim.id(), killedAt);
        assertThat(events("recoverable"))
                .filteredOn(Event::recovering)
                .extracting(Event::node)
                .containsOnly(survivor.id());
        assertThat(events("recoverable"))
                .filteredOn(e -> e.recovering() && e.kind().equals("RUN"))
                .hasSize(1);
        // A firing the victim had started but not finished when it died re-runs, recovering, on the survivor.
        // Whether one was in flight at the kill is timing: none is fine, a lost one is not.
        List<Event> recoveredExclusive = events("exclusive").stream()
                .filter(e -> e.recovering() && e.kind().equals("RUN"))
                .toList();
        assertThat(recoveredExclusive).allSatisfy(e -> assertThat(e.node()).isEqualTo(survivor.id()));
        assertThat(recoveredExclusive).hasSizeGreaterThanOrEqualTo(unfinished(events("exclusive"), victim.id()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> quartz.get(Keys.node(victim.id())).isEmpty());
    }

    private static void enqueueFromStandbyScheduler(String table, long t0) throws Exception {
        ClusteredScheduler enqueuer = ClusteredSchedulerFactory.create(
                DYNAMO.client(), DynamoJobStoreConfig.defaults(table), "process-enqueuer", "enqueuer", 1, null);
        Scheduler scheduler = enqueuer.scheduler();
        try {
            // requests recovery too: a firing in flight when its node dies re-runs on the survivor, so none is lost
            JobDetail exclusive = durable(ClusterNodeMain.ExclusiveJob.class, "exclusive", true);
            scheduler.addJob(exclusive, false);
            for (int i = 0; i < 2; i++) {
                scheduler.scheduleJob(TriggerBuilder.newTrigger()
                        .withIdentity("exclusive-" + i, "process")
                        .forJob(exclusive)
                        .startAt(new Date(t0 + 6_000 + i * 50L))
                        .withSchedule(
                                simpleSchedule().withIntervalInMilliseconds(300).withRepeatCount(EXCLUSIVE_FIRINGS - 1))
                        .build());
            }
            JobDetail recoverable = durable(ClusterNodeMain.RecoverableJob.class, "recoverable", true);
            scheduler.addJob(recoverable, false);
            scheduler.scheduleJob(TriggerBuilder.newTrigger()
                    .withIdentity("recoverable", "process")
                    .forJob(recoverable)
                    .startAt(new Date(t0 + 7_000))
                    .build());
            JobDetail plain = durable(ClusterNodeMain.PlainJob.class, "plain", false);
            scheduler.addJob(plain, false);
            for (int i = 0; i < PLAIN_TRIGGERS; i++) {
                scheduler.scheduleJob(TriggerBuilder.newTrigger()
                        .withIdentity("plain-" + i, "process")
                        .forJob(plain)
                        .startAt(new Date(t0 + 9_000 + i * 400L))
                        .build());
            }
        } finally {
            scheduler.shutdown();
        }
    }

    private static JobDetail durable(Class<? extends Job> type, String name, boolean recovery) {
        return JobBuilder.newJob(type)
                .withIdentity(name, "process")
                .storeDurably()
                .requestRecovery(recovery)
                .build();
    }

    /** Trigger keys the table shows as acquired by {@code instanceId} (through the owner index, then read consistently). */
    private static Set<String> heldTriggers(Table quartz, String instanceId) {
        return quartz.queryIndex(QuartzTable.OWNER_INDEX, Attr.OWNER, instanceId, null, null).stream()
                .map(item -> Table.str(item, Attr.PK))
                .filter(pk -> pk.startsWith(Keys.TRIGGER + "#"))
                .filter(pk -> quartz.get(pk)
                        .map(item -> instanceId.equals(Table.str(item, Attr.OWNER)))
                        .orElse(false))
                .collect(Collectors.toSet());
    }

    private List<Event> events(String job) {
        List<Event> events = new ArrayList<>();
        for (Node node : nodes) {
            for (String line : node.lines()) {
                if (line.startsWith("RUN " + job + " ") || line.startsWith("END " + job + " ")) {
                    events.add(Event.parse(line));
                }
            }
        }
        return events;
    }

    private static Set<String> firings(List<Event> events) {
        return events.stream()
                .filter(e -> e.kind().equals("RUN"))
                .map(e -> e.trigger() + "@" + e.scheduled())
                .collect(Collectors.toSet());
    }

    /** Runs a node started and never ended (it died in them). */
    private static int unfinished(List<Event> events, String node) {
        Set<String> ended = events.stream()
                .filter(e -> e.kind().equals("END") && e.node().equals(node))
                .map(e -> e.trigger() + "@" + e.scheduled())
                .collect(Collectors.toSet());
        return (int) events.stream()
                .filter(e -> e.kind().equals("RUN") && e.node().equals(node) && !e.recovering())
                .filter(e -> !ended.contains(e.trigger() + "@" + e.scheduled()))
                .count();
    }

    private static List<String> duplicates(List<Event> events) {
        Map<String, Long> counts = events.stream()
                .filter(e -> e.kind().equals("RUN") && !e.recovering())
                .collect(Collectors.groupingBy(e -> e.trigger() + "@" + e.scheduled(), Collectors.counting()));
        return counts.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Each run ends before the next starts; a run cut short by the kill ends at the kill. */
    private static void assertNeverOverlaps(List<Event> events, String victim, long killedAt) {
        Map<String, Event> ends = new HashMap<>();
        events.stream()
                .filter(e -> e.kind().equals("END"))
                .forEach(e -> ends.put(e.node() + e.trigger() + e.scheduled(), e));
        List<long[]> runs = events.stream()
                .filter(e -> e.kind().equals("RUN"))
                .map(e -> {
                    Event end = ends.get(e.node() + e.trigger() + e.scheduled());
                    long until = end != null ? end.at() : e.node().equals(victim) ? killedAt : Long.MAX_VALUE;
                    return new long[] {e.at(), until};
                })
                .sorted(Comparator.comparingLong((long[] r) -> r[0]))
                .toList();
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i)[0])
                    .as("run %d starts after run %d ended", i, i - 1)
                    .isGreaterThanOrEqualTo(runs.get(i - 1)[1]);
        }
    }

    private static Node launch(String id, String table) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx192m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ClusterNodeMain.class.getName(),
                        DYNAMO.dynalite().endpoint().toString(),
                        table,
                        id)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                id + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return new Node(id, process, lines, new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }
}
