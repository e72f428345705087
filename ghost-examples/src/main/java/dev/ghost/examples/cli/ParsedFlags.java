package dev.ghost.examples.cli;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link GoFlags#parse}: the flags given on the command line (the last occurrence of each) and the
 * defaults of the others. Immutable. Values are typed by {@link GoFlags.Kind}: Boolean, String, Long (int and uint),
 * Double, or List of String.
 */
public final class ParsedFlags {

    private final Map<String, GoFlags.Flag> definitions;
    private final Map<String, Object> given;

    ParsedFlags(Map<String, GoFlags.Flag> definitions, Map<String, Object> given) {
        this.definitions = Map.copyOf(definitions);
        this.given = Map.copyOf(given);
    }

    /** True when the flag was on the command line, whatever its value. */
    public boolean isSet(String name) {
        definition(name); // a misspelt name is a bug, not an absent flag
        return given.containsKey(name);
    }

    public Object value(String name) {
        return given.getOrDefault(name, definition(name).defaultValue());
    }

    public String string(String name) {
        return (String) value(name);
    }

    public boolean bool(String name) {
        return (Boolean) value(name);
    }

    public long integer(String name) {
        return (Long) value(name);
    }

    public double decimal(String name) {
        return (Double) value(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return (List<String>) value(name);
    }

    /** True when the flag asks for something other than gh-ost's default: given, and with another value. */
    public boolean differsFromDefault(String name) {
        return isSet(name) && !value(name).equals(definition(name).defaultValue());
    }

    private GoFlags.Flag definition(String name) {
        GoFlags.Flag flag = definitions.get(name);
        if (flag == null) {
            throw new IllegalArgumentException("no such flag: " + name);
        }
        return flag;
    }
}
