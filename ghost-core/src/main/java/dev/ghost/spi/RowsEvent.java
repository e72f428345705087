package dev.ghost.spi;

import java.util.List;

/**
 * Row changes of one table from one binlog rows event, already decoded.
 *
 * <p>Each row image is an {@code Object[]} indexed by {@link ColumnSchema#index()}. Values are the exact values the
 * server stores, in these Java types (never lossy):
 * <ul>
 *   <li>{@code null} for SQL NULL;</li>
 *   <li>{@link Long} for integers of every width and signedness that fit, YEAR, and BIT;
 *       {@link java.math.BigInteger} for BIGINT UNSIGNED and BIT(64) above {@link Long#MAX_VALUE};</li>
 *   <li>{@link java.math.BigDecimal} for DECIMAL; {@link Float} and {@link Double};</li>
 *   <li>{@code byte[]} for CHAR, VARCHAR and TEXT (the raw bytes in the column's character set), BINARY (with its
 *       trailing zero bytes), VARBINARY, BLOB, GEOMETRY (the server's internal SRID+WKB form), and MariaDB's JSON
 *       (which is LONGTEXT);</li>
 *   <li>{@link String} for DATE, TIME, DATETIME and TIMESTAMP in MySQL literal syntax
 *       ({@code 2024-02-29 13:14:15.123456}, {@code -838:59:59}, {@code 0000-00-00}); TIMESTAMP is given in UTC;
 *       ENUM and SET as their labels; MySQL's binary JSON as JSON text.</li>
 * </ul>
 * Generated columns carry whatever the binlog holds; appliers never write them.
 *
 * @param table    the table the rows belong to
 * @param kind     insert, update or delete
 * @param before   row images before the change (update and delete); empty for inserts
 * @param after    row images after the change (insert and update); empty for deletes
 * @param position the position just after this event's transaction, or of the event when unknown
 */
public record RowsEvent(TableName table, Kind kind, List<Object[]> before, List<Object[]> after,
                        BinlogPosition position) {

    /** What the rows event did. */
    public enum Kind {
        /** New rows: {@code after} holds them. */
        INSERT,
        /** Changed rows: {@code before} and {@code after} hold each row's images, pair by pair. */
        UPDATE,
        /** Removed rows: {@code before} holds them. */
        DELETE
    }

    /**
     * Copies the image lists; an update needs a before image for every after image.
     *
     * @param table the table the rows belong to
     * @param kind insert, update or delete
     * @param before row images before the change; empty for inserts
     * @param after row images after the change; empty for deletes
     * @param position the position after the event's transaction, or of the event
     */
    public RowsEvent {
        before = List.copyOf(before);
        after = List.copyOf(after);
        if (kind == Kind.UPDATE && before.size() != after.size()) {
            throw new IllegalArgumentException("update event needs as many before images as after images");
        }
    }

    /**
     * Number of rows this event changes.
     *
     * @return the size of {@code after}, or of {@code before} for a delete
     */
    public int rowCount() {
        return kind == Kind.DELETE ? before.size() : after.size();
    }
}
