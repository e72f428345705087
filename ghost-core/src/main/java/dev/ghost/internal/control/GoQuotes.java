package dev.ghost.internal.control;

import java.util.Optional;

/**
 * gh-ost unquotes a socket command's argument when it is a Go string literal, so that scripts may write
 * {@code max-load="Threads_running=30"} or {@code throttle-query=`SELECT 0`}; an argument that is not a valid literal
 * is taken as it is. This reads the three literal forms: interpreted ({@code "…"}, with Go's escapes), raw
 * ({@code `…`}, no escapes) and a single rune ({@code 'x'}).
 */
final class GoQuotes {

    private GoQuotes() {
    }

    /** The argument, unquoted when it is a valid Go literal; otherwise unchanged. */
    static String unquoteIfLiteral(String argument) {
        return literal(argument).orElse(argument);
    }

    static Optional<String> literal(String text) {
        if (text.length() < 2) {
            return Optional.empty();
        }
        char quote = text.charAt(0);
        if (text.charAt(text.length() - 1) != quote) {
            return Optional.empty();
        }
        String body = text.substring(1, text.length() - 1);
        return switch (quote) {
            case '`' -> body.indexOf('`') >= 0 ? Optional.empty() : Optional.of(body.replace("\r", ""));
            case '"' -> interpreted(body, '"');
            case '\'' -> interpreted(body, '\'').filter(rune -> rune.codePointCount(0, rune.length()) == 1);
            default -> Optional.empty();
        };
    }

    /** Resolves Go's escapes in the body of a literal quoted by {@code quote}; empty when the body is not valid. */
    private static Optional<String> interpreted(String body, char quote) {
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == quote || c == '\n') {
                return Optional.empty(); // an unescaped quote or a newline ends a Go literal early
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= body.length()) {
                return Optional.empty();
            }
            char escape = body.charAt(i + 1);
            i += 2;
            switch (escape) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000B');
                case '\\' -> out.append('\\');
                case '"', '\'' -> {
                    if (escape != quote) {
                        return Optional.empty(); // Go allows \" only in "…" and \' only in '…'
                    }
                    out.append(escape);
                }
                case 'x', 'u', 'U' -> {
                    int digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
                    if (i + digits > body.length()) {
                        return Optional.empty();
                    }
                    int value;
                    try {
                        value = Integer.parseUnsignedInt(body.substring(i, i + digits), 16);
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                    if (escape == 'x') {
                        out.append((char) value); // a byte; arguments are text, so it stands for itself
                    } else if (Character.isValidCodePoint(value)) {
                        out.appendCodePoint(value);
                    } else {
                        return Optional.empty();
                    }
                    i += digits;
                }
                default -> {
                    if (escape < '0' || escape > '7' || i + 2 > body.length()) {
                        return Optional.empty();
                    }
                    String octal = body.substring(i - 1, i + 2);
                    if (!octal.chars().allMatch(d -> d >= '0' && d <= '7')) {
                        return Optional.empty();
                    }
                    int value = Integer.parseInt(octal, 8);
                    if (value > 255) {
                        return Optional.empty();
                    }
                    out.append((char) value);
                    i += 2;
                }
            }
        }
        return Optional.of(out.toString());
    }
}
