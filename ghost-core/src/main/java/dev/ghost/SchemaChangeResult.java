package dev.ghost;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a successful migration (or dry run). Immutable.
 *
 * @param table          the migrated table, {@code schema.table}
 * @param ghostTable     the ghost table's name during the migration
 * @param oldTable       where the original table now is; empty when it was dropped, for a dry run, and when the ALTER
 *                       ran instantly
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
 * @param instantDdl     the ALTER ran on the table itself with ALGORITHM=INSTANT
 *                       ({@link OnlineSchemaChange.Builder#attemptInstantDdl}): no ghost table, no copy, no cut-over;
 *                       for a dry run, that the server accepted ALGORITHM=INSTANT on the empty ghost table, so that
 *                       it would most likely apply
 */
public record SchemaChangeResult(String table, String ghostTable, Optional<String> oldTable, boolean dryRun,
                                 long rowsCopied, long eventsApplied, Duration inspectTime, Duration copyTime,
                                 Duration cutoverTime, Duration totalTime, Duration cutoverLockTime,
                                 int cutoverAttempts, Duration checksumTime, long rowsChecksummed,
                                 boolean instantDdl) {
}
