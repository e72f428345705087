package dev.ghost;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a successful migration (or dry run). Immutable.
 *
 * @param table          the migrated table, {@code schema.table}
 * @param ghostTable     the ghost table's name during the migration
 * @param oldTable       where the original table now is; empty when it was dropped or for a dry run
 * @param dryRun         true when nothing was changed: checks ran, the ghost table was created, altered and dropped
 * @param rowsCopied     rows inserted by the copy
 * @param eventsApplied  binlog row changes applied to the ghost table
 * @param inspectTime    time spent checking and preparing
 * @param copyTime       time spent copying rows (with replay running alongside)
 * @param cutoverTime    time from the end of the copy to the completed cut-over, including catch-up and postponement
 * @param totalTime      wall-clock time of the whole migration
 * @param cutoverLockTime how long queries on the table were blocked by the successful cut-over
 * @param cutoverAttempts how many cut-over attempts it took (1 when the first one succeeded)
 * @param checksumTime   time spent proving the ghost table equal to the original (zero when the checksum was off)
 * @param rowsChecksummed rows compared by the last full checksum (0 when the checksum was off)
 */
public record SchemaChangeResult(String table, String ghostTable, Optional<String> oldTable, boolean dryRun,
                                 long rowsCopied, long eventsApplied, Duration inspectTime, Duration copyTime,
                                 Duration cutoverTime, Duration totalTime, Duration cutoverLockTime,
                                 int cutoverAttempts, Duration checksumTime, long rowsChecksummed) {
}
