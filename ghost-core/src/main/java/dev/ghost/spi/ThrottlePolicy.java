package dev.ghost.spi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Objects;

/**
 * Decides whether the row copy must pause. Policies compose: when any one throttles, the copy waits.
 * The engine calls {@link #evaluate} from one thread, about every {@link #checkIntervalMillis()}.
 */
public interface ThrottlePolicy {

    /** A short name, used in the reason shown to operators. */
    String name();

    ThrottleDecision evaluate(ThrottleContext context) throws Exception;

    default long checkIntervalMillis() {
        return 100;
    }

    /**
     * gh-ost's {@code --throttle-query}: throttles while the query's first column is greater than zero.
     * The query should be cheap; it runs every 100 ms.
     */
    static ThrottlePolicy throttleQuery(String query) {
        Objects.requireNonNull(query, "query");
        return new ThrottlePolicy() {
            @Override
            public String name() {
                return "throttle-query";
            }

            @Override
            public ThrottleDecision evaluate(ThrottleContext context) throws Exception {
                try (Statement statement = context.connection().createStatement();
                     ResultSet rows = statement.executeQuery(query)) {
                    if (rows.next() && rows.getLong(1) > 0) {
                        return ThrottleDecision.throttle("throttle-query");
                    }
                    return ThrottleDecision.proceed();
                }
            }
        };
    }

    /** gh-ost's {@code --throttle-flag-file}: throttles while the file exists. */
    static ThrottlePolicy flagFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new ThrottlePolicy() {
            @Override
            public String name() {
                return "flag-file";
            }

            @Override
            public ThrottleDecision evaluate(ThrottleContext context) {
                return Files.exists(file) ? ThrottleDecision.throttle("flag-file " + file) : ThrottleDecision.proceed();
            }
        };
    }
}
