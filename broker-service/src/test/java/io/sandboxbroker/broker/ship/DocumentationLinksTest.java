package io.sandboxbroker.broker.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandboxbroker.broker.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Someone who clones only this repository must be able to follow every link in it: each relative
 * Markdown link, and each {@code docs/….md#anchor} a code comment or config file cites, points at
 * a file inside the repository and, when it names one, at a heading that exists.
 */
class DocumentationLinksTest {
    private static final Pattern MARKDOWN_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CITED_DOC = Pattern.compile("(docs/[A-Za-z0-9_.-]+\\.md)(#[A-Za-z0-9_-]+)?");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("node_modules", "target", ".git", ".terraform");

    private final Path root = Repo.root().toAbsolutePath().normalize();
    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    @Test
    void everyMarkdownLinkResolvesInsideTheRepository() {
        List<String> broken = new ArrayList<>();
        List<Path> markdown = files(".md");
        assertThat(markdown)
                .as("the repository's Markdown files")
                .contains(root.resolve("README.md"), root.resolve("docs/architecture.md"));
        for (Path file : markdown) {
            List<String> lines = proseLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = MARKDOWN_LINK.matcher(withoutCodeSpans(lines.get(i)));
                String line = where(file) + ":" + (i + 1);
                while (link.find()) {
                    String target = link.group(1);
                    check(file, target).ifPresent(problem -> broken.add(line + " " + target + ": " + problem));
                }
            }
        }
        assertThat(broken)
                .as("links that lead nowhere or out of the repository")
                .isEmpty();
    }

    @Test
    void everyDocumentCitedFromCodeOrConfigExists() {
        List<String> broken = new ArrayList<>();
        List<Path> sources = new ArrayList<>(files(".java"));
        sources.addAll(files(".yml"));
        sources.addAll(files(".sh"));
        sources.addAll(files(".tf"));
        int cited = 0;
        for (Path file : sources) {
            Matcher citation = CITED_DOC.matcher(read(file));
            while (citation.find()) {
                cited++;
                String target = citation.group(1) + (citation.group(2) == null ? "" : citation.group(2));
                checkTarget(file, root.resolve(citation.group(1)), citation.group(2))
                        .ifPresent(problem -> broken.add(where(file) + " cites " + target + ": " + problem));
            }
        }
        assertThat(cited).as("code and config cite the architecture").isPositive();
        assertThat(broken)
                .as("citations of documents or headings that do not exist")
                .isEmpty();
    }

    @Test
    void noFileCitesTheWorkspaceOutsideTheRepository() {
        List<String> outside = new ArrayList<>();
        for (String extension : List.of(".java", ".md", ".yml", ".sh", ".tf", ".xml", ".js", ".html")) {
            for (Path file : files(extension)) {
                String text = read(file);
                if (text.contains("../" + "shared/")
                        || Pattern.compile("DESIGN" + " §\\d").matcher(text).find()) {
                    outside.add(where(file));
                }
            }
        }
        assertThat(outside)
                .as("files that point at design notes outside this repository")
                .isEmpty();
    }

    @Test
    void anchorsFollowTheForgesRules() {
        assertThat(slug("Edge: rate limits, CORS, headers, logs, metrics"))
                .isEqualTo("edge-rate-limits-cors-headers-logs-metrics");
        assertThat(slug("Table layout (`QuartzTable.definition(name)` returns it as data)"))
                .isEqualTo("table-layout-quartztabledefinitionname-returns-it-as-data");
        assertThat(check(root.resolve("README.md"), "docs/architecture.md#" + "no-such-heading"))
                .isPresent();
        assertThat(check(root.resolve("README.md"), "../outside.md")).isPresent();
        assertThat(check(root.resolve("README.md"), "docs/architecture.md#allocation-protocol"))
                .isEmpty();
    }

    private java.util.Optional<String> check(Path file, String link) {
        if (link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return java.util.Optional.empty(); // http:, https:, mailto: — not a file of this repository
        }
        int hash = link.indexOf('#');
        String path = hash < 0 ? link : link.substring(0, hash);
        String anchor = hash < 0 ? null : link.substring(hash);
        Path target = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        return checkTarget(file, target, anchor);
    }

    private java.util.Optional<String> checkTarget(Path from, Path target, String anchor) {
        Path normalized = target.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            return java.util.Optional.of("points outside the repository");
        }
        if (!Files.exists(normalized)) {
            return java.util.Optional.of("no such file " + root.relativize(normalized));
        }
        if (anchor != null
                && normalized.toString().endsWith(".md")
                && !anchors(normalized).contains(anchor.substring(1))) {
            return java.util.Optional.of("no heading " + anchor + " in " + root.relativize(normalized));
        }
        return java.util.Optional.empty();
    }

    private Set<String> anchors(Path markdown) {
        return anchorsByFile.computeIfAbsent(markdown, file -> {
            Set<String> anchors = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : proseLines(file)) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1));
                    int count = seen.merge(slug, 1, Integer::sum);
                    anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
            }
            return anchors;
        });
    }

    /** GitHub's and GitLab's heading ids: lower case, punctuation dropped, spaces as hyphens. */
    static String slug(String heading) {
        String plain = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return plain.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The lines outside fenced code blocks (a link or heading inside a fence is only an example). */
    private static List<String> proseLines(Path file) {
        List<String> prose = new ArrayList<>();
        boolean fenced = false;
        for (String line : read(file).split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                prose.add("");
                continue;
            }
            prose.add(fenced ? "" : line);
        }
        return prose;
    }

    private static String withoutCodeSpans(String line) {
        return line.replaceAll("`[^`]*`", "``");
    }

    private List<Path> files(String extension) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> !skipped(path))
                    .filter(path -> path.getFileName().toString().endsWith(extension))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean skipped(Path path) {
        for (Path part : root.relativize(path)) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private String where(Path file) {
        return root.relativize(file).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
