package io.sandboxbroker.broker.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.core.BrokerException.Reason;
import io.sandboxbroker.broker.resources.ErrorResponses;
import io.sandboxbroker.broker.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lab scripts and operators branch on {@code detail.code}: the code tables of the README and of
 * the architecture document list exactly the codes the service sends, so a renamed code cannot stay
 * documented under its old name.
 */
class ErrorCodesDocumentedTest {
    /** A table row whose first or second cell is a status and the next a code: {@code | 429 | `CODE` |}. */
    private static final Pattern README_ROW = Pattern.compile("^\\| [0-9][^|]* \\| `([A-Z_]+)` \\|");

    private static final Pattern ARCHITECTURE_ROW = Pattern.compile("^\\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \\|");
    private static final Pattern CODE = Pattern.compile("`([A-Z_]+)`");

    @Test
    void theReadmeTableListsEveryCodeTheServiceSends() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Repo.root().resolve("README.md"))) {
            Matcher row = README_ROW.matcher(line);
            if (row.find()) {
                documented.add(row.group(1));
            }
        }
        assertThat(documented).isEqualTo(sentCodes());
    }

    @Test
    void theArchitectureTableListsEveryCodeTheServiceSends() throws IOException {
        String text = Files.readString(Repo.root().resolve("docs/architecture.md"));
        String section = text.substring(text.indexOf("\n## Error codes"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        for (String line : section.split("\n")) {
            Matcher row = ARCHITECTURE_ROW.matcher(line);
            if (row.find()) {
                Matcher code = CODE.matcher(row.group(1));
                while (code.find()) {
                    documented.add(code.group(1));
                }
            }
        }
        assertThat(documented).isEqualTo(sentCodes());
    }

    private static Set<String> sentCodes() {
        Set<String> codes = new TreeSet<>(ErrorResponses.TRANSPORT_CODES);
        Arrays.stream(Reason.values()).map(Reason::name).forEach(codes::add);
        return codes;
    }
}
