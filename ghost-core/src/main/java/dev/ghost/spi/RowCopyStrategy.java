package dev.ghost.spi;

import java.sql.SQLException;

/**
 * Copies the rows that exist when the copy starts into the ghost table, without ever overwriting a row the replay
 * already wrote (the built-in strategy uses {@code INSERT IGNORE ... SELECT ... LOCK IN SHARE MODE} over ranges of
 * the unique key). Rows changed meanwhile are the replay's job.
 */
public interface RowCopyStrategy {

    /**
     * A short name for logs.
     *
     * @return e.g. {@code chunked}
     */
    String name();

    /**
     * Copies every row; returns when done. Interrupted when the migration is cancelled.
     *
     * @param context the plan, connections, chunk size, throttling and progress reports
     * @throws SQLException when a statement fails; the engine fails the migration or retries it
     * @throws InterruptedException when the migration is cancelled or fails meanwhile
     */
    void copyRows(CopyContext context) throws SQLException, InterruptedException;
}
