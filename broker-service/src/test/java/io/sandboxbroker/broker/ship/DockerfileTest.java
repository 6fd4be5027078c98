package io.sandboxbroker.broker.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.broker.support.Repo;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no Docker engine), so this checks what it relies on: the
 * files it copies exist, the jar it runs is what {@code package} builds (main class, no test kit),
 * and the command it runs is a real command of the application.
 *
 * <p>Surefire runs this before {@code package}, when the shaded jar may not exist yet: the jar
 * checks are then skipped. Failsafe runs it again after {@code package} (see broker-service's pom,
 * which sets {@code broker.afterPackage}), and there a missing jar fails.
 */
class DockerfileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHADED_JAR = "broker-service/target/sandbox-broker.jar";

    private static List<Instruction> instructions;

    /** One Dockerfile instruction with its continuation lines joined. */
    record Instruction(String keyword, String args, int stage) {
        List<String> words() {
            return Arrays.stream(args.trim().split("\\s+")).toList();
        }

        /** The exec (JSON array) form of ENTRYPOINT, CMD, HEALTHCHECK CMD. */
        List<String> execForm() {
            String json = args.trim();
            if (keyword.equals("HEALTHCHECK")) {
                json = json.substring(json.indexOf("CMD") + 3).trim();
            }
            assertThat(json).as("%s uses the exec (JSON array) form", keyword).startsWith("[");
            try {
                return JSON.readValue(json, new TypeReference<List<String>>() {});
            } catch (IOException e) {
                throw new AssertionError(keyword + " is not a JSON array: " + json, e);
            }
        }
    }

    @BeforeAll
    static void parse() throws IOException {
        instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int stage = -1;
        for (String raw : Files.readAllLines(Repo.path("Dockerfile"))) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().strip();
            pending.setLength(0);
            int space = text.indexOf(' ');
            String keyword = text.substring(0, space).toUpperCase();
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(keyword, text.substring(space + 1).strip(), stage));
        }
        assertThat(pending).as("no dangling line continuation").isEmpty();
    }

    private static List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    private static Instruction only(String keyword) {
        List<Instruction> found = all(keyword);
        assertThat(found).as("exactly one %s", keyword).hasSize(1);
        return found.get(0);
    }

    private static int lastStage() {
        return all("FROM").size() - 1;
    }

    /** Sources of a COPY: every word but the last and the flags. */
    private static List<String> copySources(Instruction copy) {
        List<String> words =
                copy.words().stream().filter(w -> !w.startsWith("--")).toList();
        return words.subList(0, words.size() - 1);
    }

    private static String copyDestination(Instruction copy) {
        List<String> words = copy.words();
        return words.get(words.size() - 1);
    }

    private static boolean fromBuildStage(Instruction copy) {
        return copy.words().stream().anyMatch(w -> w.startsWith("--from="));
    }

    @Test
    void multiStage_mavenBuildThenJre() {
        List<Instruction> froms = all("FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).args())
                .startsWith("maven:3.9-eclipse-temurin-17")
                .endsWith(" AS build");
        assertThat(froms.get(1).args()).isEqualTo("eclipse-temurin:17-jre");
    }

    @Test
    void build_isTheMavenPackageOfTheServiceWithoutTestsOrNpm() {
        List<Instruction> runs = all("RUN").stream().filter(r -> r.stage() == 0).toList();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).args())
                .contains("mvn -B -ntp -DskipTests -pl broker-service -am package")
                .doesNotContain("npm");
    }

    @Test
    void build_copiesEveryMavenModule() throws IOException {
        List<String> modules = java.util.regex.Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(Repo.path("pom.xml")))
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(modules).contains("broker-service");
        List<String> copied = all("COPY").stream()
                .filter(c -> c.stage() == 0)
                .flatMap(c -> copySources(c).stream())
                .toList();
        assertThat(copied).contains("pom.xml").containsAll(modules);
    }

    @Test
    void everyCopiedSourceExistsInTheRepository_andIsNotDockerIgnored() throws IOException {
        List<PathMatcher> ignored = new ArrayList<>();
        for (String line : Files.readAllLines(Repo.path(".dockerignore"))) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#") || pattern.startsWith("!")) {
                continue;
            }
            pattern = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
            ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        }
        List<Instruction> copies =
                all("COPY").stream().filter(c -> !fromBuildStage(c)).toList();
        assertThat(copies).isNotEmpty();
        for (Instruction copy : copies) {
            for (String source : copySources(copy)) {
                assertThat(Repo.path(source)).as("COPY source %s", source).exists();
                for (Path prefix = Path.of(source); prefix != null; prefix = prefix.getParent()) {
                    Path checked = prefix;
                    assertThat(ignored)
                            .as(".dockerignore must not exclude %s", source)
                            .noneMatch(m -> m.matches(checked));
                }
            }
        }
    }

    @Test
    void runtimeCopiesTheShadedJarFromTheBuild_andRunsIt() {
        Instruction copy = jarCopy();
        String workdir = all("WORKDIR").stream()
                .filter(w -> w.stage() == 0)
                .findFirst()
                .orElseThrow()
                .args();
        assertThat(copySources(copy)).containsExactly(workdir + "/" + SHADED_JAR);
        assertThat(Repo.path("broker-service/pom.xml")).content().contains("<finalName>sandbox-broker</finalName>");

        List<String> entrypoint = only("ENTRYPOINT").execForm();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
                .containsExactly("-jar", copyDestination(copy));
    }

    @Test
    void defaultCommand_isTheApiServerOnTheCopiedProductionConfig() {
        List<String> cmd = only("CMD").execForm();
        assertThat(cmd).containsExactly("server", "/app/config/production.yml");
        assertThat(Repo.applicationCommands()).contains(cmd.get(0));
        assertThat(all("COPY").stream().filter(c -> c.stage() == lastStage())).anySatisfy(c -> {
            assertThat(copySources(c)).containsExactly("config/production.yml");
            assertThat(copyDestination(c)).isEqualTo(cmd.get(1));
        });
    }

    @Test
    void runtime_isNonRoot_exposesBothPorts_andChecksHealthz() {
        Instruction user = only("USER");
        assertThat(user.stage()).isEqualTo(lastStage());
        assertThat(user.args().split(":")[0]).isNotIn("root", "0");
        assertThat(only("EXPOSE").words()).containsExactlyInAnyOrder("8080", "8081");
        List<String> health = only("HEALTHCHECK").execForm();
        // bash is in the Ubuntu-based JRE image; curl and wget are not guaranteed.
        assertThat(health.get(0)).isEqualTo("bash");
        assertThat(String.join(" ", health)).contains("/dev/tcp/127.0.0.1/${BROKER_PORT:-8080}", "GET /healthz");
    }

    @Test
    void shadedJar_mainClassIsTheApplication() throws IOException {
        try (JarFile jar = new JarFile(shadedJar().toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(BrokerApplication.class.getName());
            assertThat(jar.getEntry(BrokerApplication.class.getName().replace('.', '/') + ".class"))
                    .isNotNull();
        }
    }

    @Test
    void shadedJar_doesNotContainTheTestKitOrFakeProvider() throws IOException {
        try (JarFile jar = new JarFile(shadedJar().toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .isNotEmpty()
                    .noneMatch(name -> name.startsWith("io/sandboxbroker/testkit/"))
                    .noneMatch(name -> name.contains("FakeProvider"))
                    .noneMatch(name -> name.startsWith("META-INF/maven/io.sandboxbroker/broker-testkit/"));
        }
    }

    private static Instruction jarCopy() {
        List<Instruction> fromBuild =
                all("COPY").stream().filter(DockerfileTest::fromBuildStage).toList();
        assertThat(fromBuild).as("one COPY --from=build: the jar").hasSize(1);
        assertThat(fromBuild.get(0).stage()).isEqualTo(lastStage());
        return fromBuild.get(0);
    }

    private static Path shadedJar() {
        Path jar = Repo.path(SHADED_JAR);
        if (Boolean.getBoolean("broker.afterPackage")) {
            assertThat(jar).as("package builds the jar the Dockerfile copies").isRegularFile();
        } else {
            assumeTrue(Files.isRegularFile(jar), "the shaded jar is built in package; failsafe checks it after");
        }
        return jar;
    }
}
