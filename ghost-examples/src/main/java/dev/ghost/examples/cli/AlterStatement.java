package dev.ghost.examples.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table a whole {@code --alter} statement names ({@code ALTER TABLE shop.orders ADD ...}): gh-ost lets it stand
 * in for {@code --database} and {@code --table}. The statement itself goes to the engine as given; the engine strips
 * the {@code ALTER TABLE name} part.
 *
 * @param schema the schema named in the statement, if any
 * @param table  the table named in the statement, if any
 */
record AlterStatement(Optional<String> schema, Optional<String> table) {

    private static final String NAME = "(`(?:[^`]|``)+`|[^\\s.`]+)";
    private static final Pattern ALTER_TABLE =
            Pattern.compile("(?is)^\\s*alter\\s+table\\s+" + NAME + "(?:\\s*\\.\\s*" + NAME + ")?\\s+.*$");

    static AlterStatement parse(String text) {
        Matcher matcher = ALTER_TABLE.matcher(text);
        if (!matcher.matches()) {
            return new AlterStatement(Optional.empty(), Optional.empty());
        }
        if (matcher.group(2) == null) {
            return new AlterStatement(Optional.empty(), Optional.of(unquote(matcher.group(1))));
        }
        return new AlterStatement(Optional.of(unquote(matcher.group(1))), Optional.of(unquote(matcher.group(2))));
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name;
    }
}
