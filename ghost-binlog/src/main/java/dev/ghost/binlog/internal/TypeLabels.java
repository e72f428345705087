package dev.ghost.binlog.internal;

import java.util.ArrayList;
import java.util.List;

// Reads the labels of an ENUM or SET column out of its column type, e.g. enum('a','it''s').
final class TypeLabels {

    private TypeLabels() {
    }

    /**
     * The labels in declaration order. The server quotes each label in single quotes, doubles embedded quotes and
     * escapes backslashes and control characters with a backslash (as SHOW CREATE TABLE does).
     *
     * @throws IllegalArgumentException when the type is not {@code enum(...)} or {@code set(...)}
     */
    static List<String> parse(String columnType) {
        int open = columnType.indexOf('(');
        String kind = open < 0 ? "" : columnType.substring(0, open).trim().toLowerCase(java.util.Locale.ROOT);
        if (!kind.equals("enum") && !kind.equals("set")) {
            throw new IllegalArgumentException("not an ENUM or SET type: " + columnType);
        }
        List<String> labels = new ArrayList<>();
        int i = open + 1;
        while (i < columnType.length()) {
            char c = columnType.charAt(i);
            if (c == '\'') {
                StringBuilder label = new StringBuilder();
                i = readQuoted(columnType, i + 1, label);
                labels.add(label.toString());
            } else if (c == ')') {
                return List.copyOf(labels);
            } else if (c != ',' && !Character.isWhitespace(c)) {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in " + columnType);
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated type: " + columnType);
    }

    /** Reads one quoted label starting after its opening quote; returns the index after its closing quote. */
    private static int readQuoted(String type, int start, StringBuilder label) {
        int i = start;
        while (i < type.length()) {
            char c = type.charAt(i);
            if (c == '\'') {
                if (i + 1 < type.length() && type.charAt(i + 1) == '\'') {
                    label.append('\'');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (c == '\\' && i + 1 < type.length()) {
                label.append(unescape(type.charAt(i + 1)));
                i += 2;
                continue;
            }
            label.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated label in " + type);
    }

    private static char unescape(char escaped) {
        return switch (escaped) {
            case '0' -> '\0';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'Z' -> (char) 26;
            default -> escaped; // \\ and \' stand for themselves
        };
    }
}
