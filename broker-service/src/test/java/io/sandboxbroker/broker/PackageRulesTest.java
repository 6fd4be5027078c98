package io.sandboxbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md#modules-and-packages, read from the imports of the
 * main sources: a change that breaks one fails here, and the page and this table change together.
 */
class PackageRulesTest {
    private static final String BROKER = "io.sandboxbroker.broker.";
    private static final String JOBS_MODULE = "io.sandboxbroker.jobs.";
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

    /** Which of the broker's packages each package may import; inject and the root package may import any. */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("core", Set.of()),
            Map.entry("api", Set.of("core")),
            Map.entry("auth", Set.of("config", "core")),
            Map.entry("config", Set.of("core", "edge")),
            Map.entry("edge", Set.of()),
            Map.entry("health", Set.of("core")),
            Map.entry("metrics", Set.of("core")),
            Map.entry("db", Set.of("core", "config", "metrics")),
            Map.entry("provider", Set.of("core", "config")),
            Map.entry("jobs", Set.of("core", "config")),
            Map.entry("resources", Set.of("api", "auth", "core", "config", "edge", "jobs", "metrics")));

    /** Packages that may use broker-jobs (the clustered scheduler); the rest never see Quartz's store. */
    private static final Set<String> MAY_USE_BROKER_JOBS = Set.of("jobs", "resources");

    /** Besides the JDK and its own kind, what the domain may import. */
    private static final List<String> CORE_MAY_ALSO_IMPORT = List.of("java.", "jakarta.inject.", "org.slf4j.");

    @Test
    void everyPackageImportsOnlyWhatItMay() {
        Path main = Repo.path("broker-service/src/main/java/io/sandboxbroker/broker");
        List<String> broken = new ArrayList<>();
        for (Path file : javaFiles(main)) {
            Path relative = main.relativize(file);
            if (relative.getNameCount() < 2) {
                continue; // the application and its commands wire everything
            }
            String pkg = relative.getName(0).toString();
            if (pkg.equals("inject")) {
                continue;
            }
            assertThat(MAY_IMPORT)
                    .as("a rule for package %s (add it here and in docs/architecture.md)", pkg)
                    .containsKey(pkg);
            for (String imported : imports(file)) {
                if (imported.startsWith(BROKER)) {
                    String target = imported.substring(BROKER.length()).split("\\.")[0];
                    if (!target.equals(pkg) && !MAY_IMPORT.get(pkg).contains(target)) {
                        broken.add(relative + " imports " + imported);
                    }
                } else if (imported.startsWith(JOBS_MODULE) && !MAY_USE_BROKER_JOBS.contains(pkg)) {
                    broken.add(relative + " imports " + imported);
                } else if (pkg.equals("core") && CORE_MAY_ALSO_IMPORT.stream().noneMatch(imported::startsWith)) {
                    broken.add(relative + " imports " + imported + " (the domain imports no framework)");
                }
            }
        }
        assertThat(broken).as("imports against the package rules").isEmpty();
    }

    @Test
    void theOtherModulesNeverImportTheBroker() {
        List<String> broken = new ArrayList<>();
        for (String module : List.of("broker-jobs/src/main/java", "broker-testkit/src/main/java")) {
            for (Path file : javaFiles(Repo.path(module))) {
                imports(file).stream()
                        .filter(imported -> imported.startsWith(BROKER))
                        .forEach(imported -> broken.add(module + ": " + file.getFileName() + " imports " + imported));
            }
        }
        for (Path file : javaFiles(Repo.path("broker-testkit/src/main/java"))) {
            imports(file).stream()
                    .filter(imported -> imported.startsWith(JOBS_MODULE))
                    .forEach(imported -> broken.add("broker-testkit: " + file.getFileName() + " imports " + imported));
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theRulesSeeImports() {
        Path allocation =
                Repo.path("broker-service/src/main/java/io/sandboxbroker/broker/resources/AllocationResource.java");
        assertThat(imports(allocation)).anyMatch(imported -> imported.startsWith(BROKER + "core."));
    }

    private static List<String> imports(Path file) {
        try {
            Matcher matcher = IMPORT.matcher(Files.readString(file));
            List<String> found = new ArrayList<>();
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> path.toString().endsWith(".java"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
