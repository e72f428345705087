package dev.ghost.internal.copy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;

/**
 * How many chunks to copy at once when not told. Each copying thread keeps about one server core busy with its
 * {@code INSERT ... SELECT}; the binlog dump to ghost's reader, the replay and the application need cores too. Measured
 * on a 2-core machine whose server shares the cores: two threads copied 1M rows 20-35% slower than one. So the
 * default is one thread per four server cores, 1..4. MariaDB tells its core count ({@code thread_pool_size} defaults
 * to it); where the server does not, one thread, gh-ost's copy.
 */
public final class CopyThreads {

    static final int MAX_AUTOMATIC = 4;
    static final int CORES_PER_THREAD = 4;

    private CopyThreads() {
    }

    /** The threads for a server with this many cores (empty: unknown). */
    static int forCores(OptionalInt serverCores) {
        if (serverCores.isEmpty()) {
            return 1;
        }
        return Math.max(1, Math.min(MAX_AUTOMATIC, serverCores.getAsInt() / CORES_PER_THREAD));
    }

    /** The threads for the server behind {@code connection}. */
    public static int automatic(Connection connection) {
        return forCores(serverCores(connection));
    }

    /**
     * MariaDB's {@code thread_pool_size}, which defaults to the server's cores (a value set by hand is taken as it
     * is); empty on servers without it (MySQL).
     */
    static OptionalInt serverCores(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@version, @@thread_pool_size")) {
            if (rows.next() && rows.getString(1).contains("MariaDB")) {
                int cores = rows.getInt(2);
                return cores > 0 ? OptionalInt.of(cores) : OptionalInt.empty();
            }
        } catch (SQLException e) {
            // MySQL has no thread_pool_size without its Enterprise plugin: the cores are unknown
        }
        return OptionalInt.empty();
    }
}
