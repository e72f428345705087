package dev.ghost.testing;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The server's sessions as a test sees them, to prove that a migration left none behind. A session's end is
 * asynchronous on the server (a closed socket is noticed a moment later), so the checks wait a little before they
 * report what is still there.
 */
public final class Sessions {

    private static final long PATIENCE_MILLIS = 10_000;

    private Sessions() {
    }

    /**
     * Sessions that a migration on {@code db} may have opened and not closed: the test user's sessions whose default
     * database is {@code db} (every ghost session has it), and binlog dumps (they have none), except the asking
     * session and the {@code excluded} ids (the test's own). Waits up to 10 s for them to go; returns the rest as
     * {@code id user host db command state info}.
     */
    public static List<String> ghosts(TestDatabase db, Set<Long> excluded) {
        return awaitGone(db, row -> !excluded.contains(Long.parseLong(row.get(0)))
                && (db.name().equals(row.get(3)) || String.valueOf(row.get(4)).startsWith("Binlog Dump")));
    }

    /**
     * Sessions that came through {@code proxy}: the server lists the proxy's local port onwards as the session's
     * host. Waits up to 10 s for them to go; returns the rest.
     */
    public static List<String> through(TestDatabase db, TcpProxy proxy) {
        Set<String> hosts = proxy.everyUpstreamLocalPort().stream().map(port -> "127.0.0.1:" + port)
                .collect(Collectors.toSet());
        return awaitGone(db, row -> hosts.contains(row.get(2)));
    }

    private static List<String> awaitGone(TestDatabase db, Predicate<List<String>> matches) {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (true) {
            List<String> left = db.query("SELECT ID, USER, HOST, DB, COMMAND, STATE, INFO "
                            + "FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND USER = '"
                            + db.server().user() + "'").stream()
                    .filter(matches)
                    .map(row -> String.join(" ", row.stream().map(String::valueOf).toList()))
                    .toList();
            if (left.isEmpty() || System.currentTimeMillis() > deadline) {
                return left;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        }
    }
}
