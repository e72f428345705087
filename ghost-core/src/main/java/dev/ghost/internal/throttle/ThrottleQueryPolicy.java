package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.sql.ResultSet;
import java.sql.Statement;

/** gh-ost's {@code --throttle-query}: throttles while the query's first column is above zero. */
public final class ThrottleQueryPolicy implements ThrottlePolicy {

    private volatile String query; // null or empty: no query

    public ThrottleQueryPolicy(String query) {
        this.query = query;
    }

    public String query() {
        return query == null ? "" : query;
    }

    public void query(String next) {
        query = next;
    }

    /** The same settings, with a state of its own (a builder's policy may serve several migrations). */
    public ThrottleQueryPolicy copy() {
        return new ThrottleQueryPolicy(query);
    }

    @Override
    public String name() {
        return "throttle-query";
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) throws Exception {
        String current = query;
        if (current == null || current.isBlank()) {
            return ThrottleDecision.proceed();
        }
        try (Statement statement = context.connection().createStatement();
             ResultSet rows = statement.executeQuery(current)) {
            if (rows.next() && rows.getLong(1) > 0) {
                return ThrottleDecision.throttle("throttle-query");
            }
            return ThrottleDecision.proceed();
        }
    }
}
