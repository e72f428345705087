package dev.ghost.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's copy-pasteable snippets are the code that tests run. A snippet in the README is a fenced block right
 * after a marker {@code <!-- snippet: path/from/repo/root#name -->}; the named file holds the same lines between
 * {@code region name} and {@code endregion name} comment lines (any comment syntax: {@code //}, {@code <!-- -->},
 * {@code --}, {@code #}). The lines are compared after removing their common indentation, so a snippet can sit
 * inside a class in the source and at the margin in the README.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^#\\s]+)#([\\w.-]+) -->\\R```[\\w-]*\\R(.*?)\\R```",
            Pattern.DOTALL);

    @Test
    void everySnippetInTheReadmeIsTheCodeThatATestRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher marker = MARKER.matcher(readme);
        int checked = 0;
        while (marker.find()) {
            Path source = ROOT.resolve(marker.group(1));
            assertThat(source).as("the file named by the README's snippet marker").exists();
            List<String> region = region(Files.readAllLines(source), marker.group(2), source);
            assertThat(dedent(marker.group(3).lines().toList()))
                    .as("README snippet %s#%s", marker.group(1), marker.group(2))
                    .containsExactlyElementsOf(dedent(region));
            checked++;
        }
        // Every marker must have been matched with its block, or a malformed one would pass silently.
        int markers = readme.split("<!-- snippet:", -1).length - 1;
        assertThat(checked).as("README snippet markers checked against their source").isEqualTo(markers);
    }

    @Test
    void theFrameworkAndKitSectionsShowTestedCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String heading : List.of("## Flyway", "## Liquibase", "## Testing a schema change with the kit")) {
            int start = readme.indexOf("\n" + heading + "\n");
            assertThat(start).as("README section " + heading).isNotNegative();
            int end = readme.indexOf("\n## ", start + heading.length() + 1);
            String section = readme.substring(start, end < 0 ? readme.length() : end);
            assertThat(section).as("README section " + heading + " holds a tested snippet").contains("<!-- snippet: ");
        }
    }

    @Test
    void dedentRemovesTheCommonIndentationOnly() {
        assertThat(dedent(List.of("    a", "      b", "", "    c"))).containsExactly("a", "  b", "", "c");
    }

    static List<String> region(List<String> lines, String name, Path source) {
        Pattern start = Pattern.compile("^\\s*(//|<!--|--|#)\\s*region " + Pattern.quote(name) + "\\b.*$");
        Pattern end = Pattern.compile("^\\s*(//|<!--|--|#)\\s*endregion " + Pattern.quote(name) + "\\b.*$");
        List<String> region = null;
        for (String line : lines) {
            if (region == null) {
                if (start.matcher(line).matches()) {
                    region = new ArrayList<>();
                }
            } else if (end.matcher(line).matches()) {
                return region;
            } else {
                region.add(line);
            }
        }
        return fail("%s has no complete region '%s' (region %s ... endregion %s)", source, name, name, name);
    }

    static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing()).toList();
    }
}
