package dev.ghost.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** What the engine offers a {@link RowCopyStrategy} while it runs. */
public interface CopyContext {

    /**
     * What to copy: the tables, the unique key to walk and the column mapping.
     *
     * @return the tables, the key and the columns; the same for the whole copy
     */
    CopyPlan plan();

    /**
     * A new connection to the server the ghost table lives on, its session already prepared for copying
     * (time zone, sql_mode). The strategy closes it.
     *
     * @return an open connection, in auto-commit mode
     * @throws SQLException when the server cannot be reached
     */
    Connection openConnection() throws SQLException;

    /**
     * The chunk size now; it may change while the copy runs.
     *
     * @return rows per chunk; read it before every chunk
     */
    int chunkSize();

    /**
     * How many chunks the strategy may copy at once (the builder's {@code copyThreads}). With more than one, the
     * strategy calls {@link #awaitPermissionToCopy()}, {@link #checkWarnings} and {@link #chunkCopied} from each of
     * its copying threads; the engine's implementations are safe for that.
     *
     * @return 1 or more; the default, for contexts that do not say, is 1
     */
    default int copyThreads() {
        return 1;
    }

    /**
     * Blocks while the copy must not proceed: throttled, or the replay backlog has priority.
     * Call it before every chunk, on the thread that copies it.
     *
     * @throws InterruptedException when the migration is cancelled or fails meanwhile
     */
    void awaitPermissionToCopy() throws InterruptedException;

    /**
     * Hands the warnings of a chunk's statement to the engine, which decides whether they mean data loss (and then
     * throws) or are expected (duplicates of rows the replay already wrote). Call it after every chunk that reported
     * warnings.
     *
     * @param warnings the chain from the chunk's statement
     */
    default void checkWarnings(SQLWarning warnings) {
    }

    /**
     * Like {@link #checkWarnings(SQLWarning)}, for the statement that just ran on {@code statement}: call it right
     * after every chunk's statement, before its connection runs anything else. Better than the other form: the engine
     * also compares the warnings it can read with the statement's warning count, since the server lists at most
     * {@code max_error_count} of them, and reads them only when it checks them at all.
     *
     * @param statement the statement that ran the chunk, still open
     * @throws SQLException when the warnings cannot be read
     */
    default void checkWarnings(Statement statement) throws SQLException {
        SQLWarning warnings = statement.getWarnings();
        if (warnings != null) {
            checkWarnings(warnings);
        }
    }

    /**
     * Reports a copied chunk.
     *
     * @param rowsInserted rows the chunk inserted into the ghost table (fewer than read when the replay was first)
     * @param rowsRead rows the chunk read from the original
     */
    void chunkCopied(long rowsInserted, long rowsRead);

    /**
     * Where a resumed migration's copy starts: every row whose key is at or before this key (as the strategy reported
     * it through {@link #copiedThrough}) was copied by an earlier run; empty for a copy from the start. A strategy
     * that ignores it copies everything again, which is correct (the copy never overwrites a row), only slower.
     *
     * @return the last key copied by an earlier run, or empty
     */
    default Optional<List<Object>> resumeAfter() {
        return Optional.empty();
    }

    /**
     * Reports that every row whose key is at or before {@code key} has been copied (with several threads: every
     * chunk up to there, not just the last one to finish). Checkpoints store it, so that a resumed migration starts
     * its copy after it. The values are the key's columns in key order, each a {@link java.math.BigDecimal},
     * {@code byte[]}, {@link String} or null; a strategy that never calls this makes a resumed copy start over.
     *
     * @param key the values of the key's columns, in key order
     */
    default void copiedThrough(List<Object> key) {
    }
}
