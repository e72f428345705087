package dev.ghost.internal.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoQuotesTest {

    @Test
    void unquotesTheThreeLiteralForms() {
        assertThat(GoQuotes.unquoteIfLiteral("\"Threads_running=30\"")).isEqualTo("Threads_running=30");
        assertThat(GoQuotes.unquoteIfLiteral("`SELECT \"x\" FROM t`")).isEqualTo("SELECT \"x\" FROM t");
        assertThat(GoQuotes.unquoteIfLiteral("'x'")).isEqualTo("x");
        assertThat(GoQuotes.unquoteIfLiteral("\"\"")).isEmpty();
    }

    @Test
    void resolvesGoEscapes() {
        assertThat(GoQuotes.unquoteIfLiteral("\"a\\tb\\n\\\\\\\"\"")).isEqualTo("a\tb\n\\\"");
        assertThat(GoQuotes.unquoteIfLiteral("\"\\x41\\u00e9\\U0001F600\\101\"")).isEqualTo("Aé\uD83D\uDE00A");
    }

    @Test
    void leavesAnythingElseAsItIs() {
        for (String text : new String[] {"Threads_running=30", "\"unterminated", "\"a\"b\"", "\"bad \\q escape\"",
                "'two'", "`a`b`", "\"\\'\"", "\"\\400\"", "\"\\x4\"", "?", "\"", "SELECT 'a'"}) {
            assertThat(GoQuotes.unquoteIfLiteral(text)).as(text).isEqualTo(text);
        }
    }
}
