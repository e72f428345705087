package dev.ghost.internal.checkpoint;

import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _<table>_ghk} table (gh-ost's name for it): one row per checkpoint, the last one is what a resumed run
 * starts from. Its own columns rather than gh-ost's: the copy's progress is stored as one exact text of the key
 * ({@link KeyCodec}), and the definitions it was taken under are kept so that a resume can prove nothing changed.
 */
public final class CheckpointTable {

    /** The layout of a checkpoint's contents; a run refuses to resume from another one. */
    public static final int FORMAT = 1;

    private final TableName table;

    public CheckpointTable(TableName table) {
        this.table = table;
    }

    public TableName table() {
        return table;
    }

    /** Drops a leftover checkpoint table and creates an empty one. */
    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table.quoted());
            statement.execute("CREATE TABLE " + table.quoted() + " ("
                    + "ghost_chk_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "ghost_chk_timestamp TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
                    + "ghost_chk_coords VARCHAR(1024) CHARACTER SET ascii NOT NULL, "
                    + "binlog_file VARCHAR(512) CHARACTER SET ascii NULL, "
                    + "binlog_offset BIGINT UNSIGNED NOT NULL, "
                    + "gtid_set MEDIUMTEXT CHARACTER SET ascii NULL, "
                    + "copied_through MEDIUMTEXT CHARACTER SET ascii NULL, "
                    + "rows_copied BIGINT UNSIGNED NOT NULL, "
                    + "events_applied BIGINT UNSIGNED NOT NULL, "
                    + "alter_statement MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL, "
                    + "original_create MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL, "
                    + "ghost_create MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL, "
                    + "ghost_create_copying MEDIUMTEXT CHARACTER SET utf8mb4 NOT NULL, "
                    + "checkpoint_format INT NOT NULL, "
                    + "ghost_version VARCHAR(64) CHARACTER SET ascii NOT NULL, "
                    + "is_cutover TINYINT NOT NULL DEFAULT 0"
                    + ") ENGINE=InnoDB COMMENT='ghost checkpoints'");
        }
    }

    /** Whether the table is there. */
    public boolean exists(Connection connection) throws SQLException {
        return Sql.tableExists(connection, table);
    }

    /**
     * Stores a checkpoint; returns its id. The copy's key is left out when its values cannot be stored exactly.
     *
     * @param cutover whether it marks the cut-over (where a revert replays from) rather than progress to resume from
     */
    public long write(Connection connection, BinlogPosition position, Optional<List<Object>> copiedThrough,
                      long rowsCopied, long eventsApplied, String alter, String originalCreate, String ghostCreate,
                      String ghostCopying, String ghostVersion, boolean cutover) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table.quoted()
                + " (ghost_chk_coords, binlog_file, binlog_offset, gtid_set, copied_through, rows_copied, "
                + "events_applied, alter_statement, original_create, ghost_create, ghost_create_copying, "
                + "checkpoint_format, ghost_version, is_cutover) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, position.toString());
            statement.setString(2, position.file());
            statement.setLong(3, position.offset());
            setNullable(statement, 4, position.gtidSet());
            setNullable(statement, 5, copiedThrough.flatMap(KeyCodec::encode).orElse(null));
            statement.setLong(6, rowsCopied);
            statement.setLong(7, eventsApplied);
            statement.setString(8, alter);
            statement.setString(9, originalCreate);
            statement.setString(10, ghostCreate);
            statement.setString(11, ghostCopying);
            statement.setInt(12, FORMAT);
            statement.setString(13, ghostVersion);
            statement.setInt(14, cutover ? 1 : 0);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        }
    }

    /** The last checkpoint written, if any. */
    public Optional<Checkpoint> readLast(Connection connection) throws SQLException {
        return read(connection, "");
    }

    /** The last cut-over checkpoint written, if any. */
    public Optional<Checkpoint> readLastCutover(Connection connection) throws SQLException {
        return read(connection, " WHERE is_cutover = 1");
    }

    private Optional<Checkpoint> read(Connection connection, String where) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ghost_chk_id, ghost_chk_timestamp, binlog_file, "
                     + "binlog_offset, gtid_set, copied_through, rows_copied, events_applied, alter_statement, "
                     + "original_create, ghost_create, ghost_create_copying, checkpoint_format, ghost_version, "
                     + "is_cutover FROM " + table.quoted() + where + " ORDER BY ghost_chk_id DESC LIMIT 1")) {
            if (!rows.next()) {
                return Optional.empty();
            }
            String copied = rows.getString("copied_through");
            return Optional.of(new Checkpoint(rows.getLong("ghost_chk_id"),
                    rows.getTimestamp("ghost_chk_timestamp").toInstant(),
                    new BinlogPosition(rows.getString("binlog_file"), rows.getLong("binlog_offset"),
                            rows.getString("gtid_set")),
                    copied == null ? Optional.empty() : Optional.of(KeyCodec.decode(copied)),
                    rows.getLong("rows_copied"), rows.getLong("events_applied"), rows.getString("alter_statement"),
                    rows.getString("original_create"), rows.getString("ghost_create"),
                    rows.getString("ghost_create_copying"), rows.getInt("checkpoint_format"),
                    rows.getString("ghost_version"), rows.getInt("is_cutover") != 0));
        }
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
