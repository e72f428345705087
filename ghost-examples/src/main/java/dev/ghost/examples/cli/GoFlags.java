package dev.ghost.examples.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command-line parser that behaves like Go's {@code flag} package, because gh-ost uses it and scripts written for
 * gh-ost rely on its rules: one or two dashes, {@code -name=value} or {@code -name value}, booleans never take the
 * next argument, the last of a repeated flag wins, {@code --} ends the flags, and parsing stops at the first
 * argument that is not a flag. Error texts are Go's, so that wrappers which match them keep working.
 */
public final class GoFlags {

    /** What a flag holds; decides how its text is parsed and how {@code --help} names its type. */
    public enum Kind {
        BOOL(""), STRING("string"), INT("int"), UINT("uint"), FLOAT("float"),
        /** Repeatable: every occurrence adds a value (Go's {@code flag.Var} with an appending setter). */
        LIST("value");

        private final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }
    }

    /** One flag: its name without dashes, its kind, its default (typed like a parsed value) and its help text. */
    public record Flag(String name, Kind kind, Object defaultValue, String usage) {

        public static Flag bool(String name, boolean defaultValue, String usage) {
            return new Flag(name, Kind.BOOL, defaultValue, usage);
        }

        public static Flag string(String name, String defaultValue, String usage) {
            return new Flag(name, Kind.STRING, defaultValue, usage);
        }

        public static Flag integer(String name, long defaultValue, String usage) {
            return new Flag(name, Kind.INT, defaultValue, usage);
        }

        public static Flag unsigned(String name, long defaultValue, String usage) {
            return new Flag(name, Kind.UINT, defaultValue, usage);
        }

        public static Flag decimal(String name, double defaultValue, String usage) {
            return new Flag(name, Kind.FLOAT, defaultValue, usage);
        }

        public static Flag list(String name, String usage) {
            return new Flag(name, Kind.LIST, List.of(), usage);
        }
    }

    private final Map<String, Flag> flags = new LinkedHashMap<>();

    public GoFlags(Collection<Flag> definitions) {
        for (Flag flag : definitions) {
            if (flags.put(flag.name(), flag) != null) {
                throw new IllegalArgumentException("flag redefined: " + flag.name());
            }
        }
    }

    /**
     * Parses the arguments. Unlike Go, arguments left after the flags are an error: gh-ost ignores them silently,
     * which turns a misplaced flag ({@code gh-ost --alter x oops --execute}) into a quiet dry run.
     */
    public ParsedFlags parse(List<String> args) throws FlagParseException {
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break; // the first non-flag argument ends the flags ("-" alone is not a flag either)
            }
            int dashes = arg.charAt(1) == '-' ? 2 : 1;
            if (dashes == 2 && arg.length() == 2) {
                i++; // "--" ends the flags and is consumed
                break;
            }
            String nameAndValue = arg.substring(dashes);
            if (nameAndValue.isEmpty() || nameAndValue.charAt(0) == '-' || nameAndValue.charAt(0) == '=') {
                throw new FlagParseException("bad flag syntax: " + arg);
            }
            int equals = nameAndValue.indexOf('=');
            String name = equals < 0 ? nameAndValue : nameAndValue.substring(0, equals);
            String value = equals < 0 ? null : nameAndValue.substring(equals + 1);
            i++;

            Flag flag = flags.get(name);
            if (flag == null) {
                if (name.equals("h") || name.equals("help")) {
                    throw FlagParseException.forHelp();
                }
                throw new FlagParseException("flag provided but not defined: -" + name);
            }
            if (flag.kind() == Kind.BOOL) {
                values.put(name, value == null ? Boolean.TRUE : parseBool(value, name));
                continue;
            }
            if (value == null) {
                if (i >= args.size()) {
                    throw new FlagParseException("flag needs an argument: -" + name);
                }
                value = args.get(i++); // taken as the value even when it starts with a dash, as Go does
            }
            values.merge(name, parseValue(flag, value), GoFlags::keepLastOrAppend);
        }
        if (i < args.size()) {
            throw new FlagParseException("unexpected argument \"" + args.get(i) + "\": ghost takes no positional "
                    + "arguments, and flags after it would be ignored");
        }
        return new ParsedFlags(flags, values);
    }

    private static Object keepLastOrAppend(Object previous, Object latest) {
        if (previous instanceof List<?> earlier && latest instanceof List<?> later) {
            List<Object> both = new ArrayList<>(earlier);
            both.addAll(later);
            return List.copyOf(both);
        }
        return latest;
    }

    private static Object parseValue(Flag flag, String text) throws FlagParseException {
        try {
            return switch (flag.kind()) {
                case STRING -> text;
                case INT -> GoNumbers.parseInt(text);
                case UINT -> GoNumbers.parseUint(text);
                case FLOAT -> GoNumbers.parseFloat(text);
                case LIST -> List.of(text);
                case BOOL -> throw new IllegalStateException("booleans are parsed apart");
            };
        } catch (GoNumbers.InvalidNumber e) {
            throw new FlagParseException(
                    "invalid value \"" + text + "\" for flag -" + flag.name() + ": " + e.getMessage());
        }
    }

    /** Go's {@code strconv.ParseBool}: exactly these spellings. */
    static Boolean parseBool(String text, String name) throws FlagParseException {
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> throw new FlagParseException(
                    "invalid boolean value \"" + text + "\" for -" + name + ": parse error");
        };
    }

    /** Help in the layout of Go's {@code PrintDefaults}: flags sorted by name, usage on an indented second line. */
    public String usage(String program, Map<String, String> remarks) {
        StringBuilder text = new StringBuilder("Usage of ").append(program).append(":\n");
        for (Flag flag : new TreeMap<>(flags).values()) {
            text.append("  -").append(flag.name());
            if (!flag.kind().typeName.isEmpty()) {
                text.append(' ').append(flag.kind().typeName);
            }
            text.append("\n    \t").append(flag.usage());
            if (!isZero(flag.defaultValue())) {
                text.append(" (default ").append(flag.defaultValue() instanceof String s ? "\"" + s + "\""
                        : GoNumbers.format(flag.defaultValue())).append(')');
            }
            String remark = remarks.get(flag.name());
            if (remark != null) {
                text.append("\n    \t[").append(remark).append(']');
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static boolean isZero(Object value) {
        return value == null || Boolean.FALSE.equals(value) || "".equals(value)
                || (value instanceof Number n && n.doubleValue() == 0) || (value instanceof List<?> l && l.isEmpty());
    }
}
