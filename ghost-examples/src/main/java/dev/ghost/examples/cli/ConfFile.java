package dev.ghost.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gh-ost's {@code --conf} file: an INI file whose {@code [client]} section may hold {@code user} and
 * {@code password}. A value containing {@code ${NAME}} is replaced by the environment variable NAME, as gh-ost does,
 * so that secrets need not sit in the file. Values are read the way gh-ost's INI library reads them: quotes
 * ({@code "}, {@code '} or {@code `}) keep everything; in an unquoted value {@code #} or {@code ;} starts a comment.
 * Other sections and keys are not read: gh-ost reads {@code [osc]} but never uses it.
 */
record ConfFile(Optional<String> user, Optional<String> password) {

    private static final Pattern ENVIRONMENT_REFERENCE = Pattern.compile("\\$\\{(.*)}");

    static ConfFile read(Path file, UnaryOperator<String> environment) throws IOException {
        String section = "";
        String user = null;
        String password = null;
        for (String rawLine : Files.readAllLines(file)) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int delimiter = firstDelimiter(line);
            if (delimiter < 0 || !section.equals("client")) {
                continue;
            }
            String key = line.substring(0, delimiter).strip();
            String value = expand(unquote(line.substring(delimiter + 1).strip()), environment);
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> { }
            }
        }
        return new ConfFile(Optional.ofNullable(user), Optional.ofNullable(password));
    }

    private static int firstDelimiter(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0 || colon < 0) {
            return Math.max(equals, colon);
        }
        return Math.min(equals, colon);
    }

    private static String unquote(String value) {
        for (String quote : new String[] {"\"\"\"", "\"", "'", "`"}) {
            if (value.length() >= 2 * quote.length() && value.startsWith(quote)) {
                int end = value.indexOf(quote, quote.length());
                if (end >= 0) {
                    return value.substring(quote.length(), end);
                }
            }
        }
        int comment = indexOfAny(value, "#;");
        return comment < 0 ? value : value.substring(0, comment).strip();
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** gh-ost replaces the whole value when it contains {@code ${NAME}}; an unset variable gives an empty value. */
    private static String expand(String value, UnaryOperator<String> environment) {
        Matcher reference = ENVIRONMENT_REFERENCE.matcher(value);
        if (!reference.find()) {
            return value;
        }
        String resolved = environment.apply(reference.group(1));
        return resolved == null ? "" : resolved;
    }
}
