package dev.ghost.internal.throttle;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** gh-ost's {@code Threads_running=25,Threads_connected=500}: status variables with limits, read and compared. */
public record StatusThresholds(Map<String, Long> limits) {

    /** Status variable names are plain words; checking that also keeps them safe to put in a query. */
    private static final Pattern STATUS_VARIABLE = Pattern.compile("[A-Za-z0-9_]+");

    public static final StatusThresholds NONE = new StatusThresholds(Map.of());

    public StatusThresholds {
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    }

    /**
     * Parses {@code name=number[,name=number...]}; an empty text means no limits. The order is kept for the reason.
     *
     * @throws IllegalArgumentException naming the part it cannot read
     */
    public static StatusThresholds parse(String text) {
        Map<String, Long> limits = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return NONE;
        }
        for (String condition : text.split(",", -1)) {
            String[] parts = condition.trim().split("=", -1);
            if (parts.length != 2 || !STATUS_VARIABLE.matcher(parts[0].trim()).matches()) {
                throw new IllegalArgumentException("cannot read \"" + condition
                        + "\"; expected status_variable=number, e.g. Threads_running=25");
            }
            try {
                limits.put(parts[0].trim(), Long.parseLong(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + parts[1] + "\" in \"" + condition
                        + "\" is not a whole number");
            }
        }
        return new StatusThresholds(limits);
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /**
     * The first limit reached, as gh-ost words it without its prefix: {@code Threads_running=26 >= 25}. A variable
     * the server does not have counts as reached (gh-ost throttles then too: a typo must not mean "no limit").
     */
    public Optional<String> firstReached(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<String, Long> limit : limits.entrySet()) {
                try (ResultSet row = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + limit.getKey() + "'")) {
                    if (!row.next()) {
                        return Optional.of(limit.getKey() + ": no such status variable");
                    }
                    long value = row.getLong(2);
                    if (value >= limit.getValue()) {
                        return Optional.of(limit.getKey() + "=" + value + " >= " + limit.getValue());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The text form, as given to {@link #parse}. */
    @Override
    public String toString() {
        return limits.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
