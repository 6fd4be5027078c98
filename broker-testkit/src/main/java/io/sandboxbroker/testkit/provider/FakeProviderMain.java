package io.sandboxbroker.testkit.provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake provider for local runs until killed:
 * <pre>
 * java -cp … io.sandboxbroker.testkit.provider.FakeProviderMain --port 9090 --token local-csp-token \
 *     --groups lab-adventure:30,lab-start:25 [--niosxaas-email x --niosxaas-password y] [--first-csp-id n]
 * </pre>
 * Besides the groups it seeds a few accounts the broker must ignore, and one {@code Instrqt-SaaS}
 * universal service per sandbox so that NIOSXaaS clean-up has something to do.
 */
public final class FakeProviderMain {
    static final String USAGE = "usage: FakeProviderMain [--port 9090] [--token local-csp-token]"
            + " [--groups lab-adventure:30,lab-start:25] [--niosxaas-email e] [--niosxaas-password p]"
            + " [--first-csp-id n]";

    /** A name group and how many sandboxes it gets. */
    record Group(String name, int count) {
        Group {
            if (name.isBlank() || count < 0) {
                throw new IllegalArgumentException("bad group " + name + ":" + count);
            }
        }
    }

    /** The parsed command line. */
    record Options(FakeProviderConfig config, List<Group> groups) {
        static final int DEFAULT_PORT = 9090;
        static final String DEFAULT_TOKEN = "local-csp-token";
        static final String DEFAULT_GROUPS = "lab-adventure:30,lab-start:25";
        static final String DEFAULT_NIOSXAAS_EMAIL = "niosxaas-cleanup@local.test";
        static final String DEFAULT_NIOSXAAS_PASSWORD = "local-niosxaas-password";

        Options {
            groups = List.copyOf(groups);
        }

        static Options parse(String... args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of(
                    "--port", Integer.toString(DEFAULT_PORT),
                    "--token", DEFAULT_TOKEN,
                    "--groups", DEFAULT_GROUPS,
                    "--niosxaas-email", DEFAULT_NIOSXAAS_EMAIL,
                    "--niosxaas-password", DEFAULT_NIOSXAAS_PASSWORD,
                    "--first-csp-id", Long.toString(FakeProviderConfig.DEFAULT_FIRST_CSP_ID)));
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i];
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("unknown option " + name);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                values.put(name, args[i + 1]);
            }
            FakeProviderConfig config = FakeProviderConfig.defaults()
                    .withPort(Integer.parseInt(values.get("--port")))
                    .withCspToken(values.get("--token"))
                    .withNiosxaasUser(values.get("--niosxaas-email"), values.get("--niosxaas-password"))
                    .withFirstCspId(Long.parseLong(values.get("--first-csp-id")));
            return new Options(config, groups(values.get("--groups")));
        }

        private static List<Group> groups(String spec) {
            List<Group> groups = new ArrayList<>();
            for (String part : spec.split(",")) {
                String[] nameAndCount = part.trim().split(":");
                if (nameAndCount.length != 2) {
                    throw new IllegalArgumentException("group must be name:count, not " + part);
                }
                groups.add(new Group(nameAndCount[0].trim(), Integer.parseInt(nameAndCount[1].trim())));
            }
            return groups;
        }
    }

    private FakeProviderMain() {}

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        FakeProvider provider = start(options);
        CountDownLatch killed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            provider.close();
                            killed.countDown();
                        },
                        "fake-provider-shutdown"));
        System.out.println("Fake provider listening on " + provider.baseUri());
        System.out.flush();
        killed.await();
    }

    /** Starts and seeds a provider as the command line describes. */
    static FakeProvider start(Options options) {
        FakeProvider provider = FakeProvider.start(options.config());
        for (Group group : options.groups()) {
            provider.addSandboxes(group.name(), group.count())
                    .forEach(sandbox -> provider.addService(sandbox.uuid(), "Instrqt-SaaS"));
        }
        provider.addDistractors();
        return provider;
    }
}
