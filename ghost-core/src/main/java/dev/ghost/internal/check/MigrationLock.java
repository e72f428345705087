package dev.ghost.internal.check;

import dev.ghost.PreflightCheckException;
import dev.ghost.spi.TableName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * Refuses a second migration of the same table: a server-side advisory lock, held by a connection of its own for
 * the whole migration, released when that connection closes (even if ghost dies).
 */
public final class MigrationLock implements AutoCloseable {

    private final Connection connection;
    private final String name;

    private MigrationLock(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** The lock's name: hashed, because lock names are limited to 64 characters and table names are not short. */
    public static String name(TableName table) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(table.toString().getBytes(StandardCharsets.UTF_8));
            return "ghost." + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes the lock on {@code connection} (which it then owns) or refuses. */
    public static MigrationLock acquire(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)")) {
            statement.setString(1, name(table));
            statement.setString(2, name(table));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (rows.getInt(1) != 1) {
                    long holder = rows.getLong(2);
                    connection.close();
                    throw new PreflightCheckException("single-migration", table.toString(), "another migration of "
                            + table.quoted() + " is running (connection " + holder + " holds the lock " + name(table)
                            + "); wait for it to end, or stop it");
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new MigrationLock(connection, name(table));
    }

    @Override
    public void close() {
        // Released explicitly, not only by closing: a closed session is ended by the server a moment later, and a
        // migration started right after this one ends must not be refused in that moment.
        try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            release.setString(1, name);
            release.executeQuery().close();
        } catch (SQLException ignored) {
            // closing the connection below releases it anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server releases the lock when the session ends anyway
        }
    }
}
