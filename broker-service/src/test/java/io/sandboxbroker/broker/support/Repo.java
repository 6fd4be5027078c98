package io.sandboxbroker.broker.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.sandboxbroker.broker.BrokerApplication;
import io.sandboxbroker.broker.BrokerConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The repository checkout the tests run in, and facts about the application they check files against. */
public final class Repo {
    private Repo() {}

    /** The repository root: {@code broker.root} from the build, else the first parent holding broker-service. */
    public static Path root() {
        String configured = System.getProperty("broker.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "broker-service"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("broker-service")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** The commands {@code java -jar sandbox-broker.jar <command>} accepts, gathered the way Dropwizard does. */
    public static Set<String> applicationCommands() {
        var app = new BrokerApplication() {
            void register(Bootstrap<BrokerConfiguration> b) {
                addDefaultCommands(b);
                initialize(b);
            }
        };
        Bootstrap<BrokerConfiguration> bootstrap = new Bootstrap<>(app);
        app.register(bootstrap);
        Set<String> names = new TreeSet<>();
        for (Command command : bootstrap.getCommands()) {
            names.add(command.getName());
        }
        assertThat(names).as("Dropwizard's default commands").contains("server", "check");
        return names;
    }
}
