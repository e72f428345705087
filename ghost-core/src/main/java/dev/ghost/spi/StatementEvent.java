package dev.ghost.spi;

import java.util.List;
import java.util.Objects;

/**
 * A change that reached the binlog as SQL text (a query event), not as row events, and that names at least one of
 * the tables an {@link EventSource} watches: DDL ({@code TRUNCATE}, {@code ALTER}, {@code RENAME}, {@code DROP},
 * {@code OPTIMIZE}, partition maintenance) or DML run with {@code binlog_format=STATEMENT} or {@code MIXED}. Its
 * effect on the rows cannot be replayed, so a sink must not ignore it.
 *
 * @param tables   the watched tables the statement names, in the order it first names them; never empty
 * @param sql      the statement as logged
 * @param database the session's default database when it ran, against which unqualified names resolve; null if none
 * @param position the position just after the statement's event
 */
public record StatementEvent(List<TableName> tables, String sql, String database, BinlogPosition position) {

    /**
     * Copies the tables; there must be at least one, and the SQL text.
     *
     * @param tables the watched tables the statement names; not empty
     * @param sql the statement as logged
     * @param database the session's default database, or null
     * @param position the position after the statement
     */
    public StatementEvent {
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a statement event names at least one watched table");
        }
        Objects.requireNonNull(sql, "sql");
    }

    /**
     * The statement, cut to {@code maxChars} with the full length noted, for messages.
     *
     * @param maxChars the most characters of SQL to keep
     * @return the statement on its own, stripped, or its start and its length
     */
    public String shortenedSql(int maxChars) {
        String oneLine = sql.strip();
        if (oneLine.length() <= maxChars) {
            return oneLine;
        }
        return oneLine.substring(0, maxChars) + "... (" + oneLine.length() + " characters)";
    }
}
