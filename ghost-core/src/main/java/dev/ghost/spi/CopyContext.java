package dev.ghost.spi;

import java.sql.Connection;
import java.sql.SQLException;

/** What the engine offers a {@link RowCopyStrategy} while it runs. */
public interface CopyContext {

    CopyPlan plan();

    /**
     * A new connection to the server the ghost table lives on, its session already prepared for copying
     * (time zone, sql_mode). The strategy closes it.
     */
    Connection openConnection() throws SQLException;

    /** The chunk size now; it may change while the copy runs. */
    int chunkSize();

    /**
     * Blocks while the copy must not proceed: throttled, or the replay backlog has priority.
     * Call it before every chunk.
     *
     * @throws InterruptedException when the migration is cancelled or fails meanwhile
     */
    void awaitPermissionToCopy() throws InterruptedException;

    /** Reports a copied chunk. */
    void chunkCopied(long rowsInserted, long rowsRead);
}
