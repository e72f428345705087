package dev.ghost.examples.cli;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** gh-ost's load-based throttles, {@code --max-load} and {@code --max-lag-millis}, as ghost throttle policies. */
final class LoadThrottles {

    /** Status variable names are plain words; checking that here also keeps them safe to put in a query. */
    private static final Pattern STATUS_VARIABLE = Pattern.compile("[A-Za-z0-9_]+");

    private LoadThrottles() {
    }

    /** Parses {@code Threads_running=25,Threads_connected=500}; the order is kept for the throttle reason. */
    static Map<String, Long> parseMaxLoad(String text) throws CliError {
        Map<String, Long> thresholds = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return thresholds;
        }
        for (String condition : text.split(",", -1)) {
            String[] parts = condition.split("=", -1);
            if (parts.length != 2 || !STATUS_VARIABLE.matcher(parts[0]).matches()) {
                throw new CliError("--max-load: cannot read \"" + condition + "\"; expected status_variable=number, "
                        + "e.g. Threads_running=25");
            }
            try {
                thresholds.put(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new CliError("--max-load: \"" + parts[1] + "\" in \"" + condition + "\" is not a whole number");
            }
        }
        return thresholds;
    }

    /** Throttles while any status variable is at or above its threshold, as gh-ost's {@code --max-load} does. */
    static ThrottlePolicy maxLoad(Map<String, Long> thresholds) {
        Map<String, Long> limits = new LinkedHashMap<>(thresholds);
        return new ThrottlePolicy() {
            @Override
            public String name() {
                return "max-load";
            }

            @Override
            public ThrottleDecision evaluate(ThrottleContext context) throws Exception {
                try (Statement statement = context.connection().createStatement()) {
                    for (Map.Entry<String, Long> limit : limits.entrySet()) {
                        try (ResultSet row = statement.executeQuery(
                                "SHOW GLOBAL STATUS LIKE '" + limit.getKey() + "'")) {
                            if (!row.next()) {
                                // gh-ost throttles when it cannot read a variable: a typo must not mean "no limit"
                                return ThrottleDecision.throttle(
                                        "max-load " + limit.getKey() + ": no such status variable");
                            }
                            long value = row.getLong(2);
                            if (value >= limit.getValue()) {
                                return ThrottleDecision.throttle(
                                        "max-load " + limit.getKey() + "=" + value + " >= " + limit.getValue());
                            }
                        }
                    }
                }
                return ThrottleDecision.proceed();
            }
        };
    }

    /** Throttles the copy while the binlog replay lags more than the limit, so that the replay can catch up. */
    static ThrottlePolicy maxLag(Duration limit) {
        return new ThrottlePolicy() {
            @Override
            public String name() {
                return "max-lag";
            }

            @Override
            public ThrottleDecision evaluate(ThrottleContext context) {
                Duration lag = context.lag();
                if (lag.compareTo(limit) > 0) {
                    return ThrottleDecision.throttle(String.format(Locale.ROOT, "lag=%.3fs", lag.toMillis() / 1000.0));
                }
                return ThrottleDecision.proceed();
            }
        };
    }
}
