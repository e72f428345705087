package dev.ghost.internal.engine;

import dev.ghost.DataLossException;
import dev.ghost.internal.copy.KeyColumn;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.sql.Sql;
import dev.ghost.internal.table.UniqueKey;
import dev.ghost.internal.verify.ChecksumColumns;
import dev.ghost.internal.verify.TableChecksum;
import dev.ghost.spi.ColumnSchema;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checksum before the cut-over: builds what {@link TableChecksum} compares from the prepared tables, runs it at a
 * point the replay has caught up with, and turns a difference that survived every repair into a
 * {@link DataLossException} that names the key ranges.
 */
final class ChecksumPhase {

    private static final Logger log = LoggerFactory.getLogger(ChecksumPhase.class);
    /** Rows per checksummed key range: large enough to keep statements few, small enough to re-copy at once. */
    private static final int ROWS_PER_RANGE = 10_000;
    private static final Duration MARKER_TIMEOUT = Duration.ofSeconds(30);
    /** Runs of the checksum that a lost connection may cut short before the migration fails. */
    private static final int CONNECTION_ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChangeStream stream;
    private final StopSignal stop;

    /** What the checksums of one migration took, added up, and the rows the last one compared. */
    record Totals(Duration time, long rows) {
        static final Totals NONE = new Totals(Duration.ZERO, 0);

        Totals plus(TableChecksum.Outcome outcome) {
            return new Totals(time.plus(outcome.elapsed()), outcome.rowsChecked());
        }
    }

    ChecksumPhase(MigrationSettings settings, ServerConnections connections, ChangeStream stream, StopSignal stop) {
        this.settings = settings;
        this.connections = connections;
        this.stream = stream;
        this.stop = stop;
    }

    /** Whether this migration is checksummed, saying why not when it is not. */
    static boolean wanted(MigrationSettings settings, Prepared prepared) {
        if (wantedQuietly(settings, prepared)) {
            return true;
        }
        if (!settings.checksum()) {
            log.info("Checksum: off (checksum(false), --checksum=false); {} is cut over unverified",
                    settings.ghostTable());
            return false;
        }
        log.warn("Checksum: skipped: --panic-on-warnings=false accepts the rows or values this ALTER drops, "
                + "so {} may differ from {} by consent", settings.ghostTable(), settings.table());
        return false;
    }

    /** Like {@link #wanted}, without saying why not. */
    static boolean wantedQuietly(MigrationSettings settings, Prepared prepared) {
        return settings.checksum() && !prepared.lossAccepted();
    }

    /** Verifies the ghost table, repairing ranges that differ; throws DataLossException when one still differs. */
    TableChecksum.Outcome run(Prepared prepared) throws Exception {
        TableChecksum checksum = new TableChecksum(connections, settings.table(), settings.ghostTable(),
                plan(prepared), Math.max(2, settings.copyThreads()), ROWS_PER_RANGE, settings.cutoverLockTimeout(),
                () -> stream.awaitMarker("Checksum", MARKER_TIMEOUT), stop::checkNotStopped);
        try {
            return verifyAcrossLostConnections(checksum);
        } catch (TableChecksum.MismatchException e) {
            List<String> details = new ArrayList<>();
            for (TableChecksum.Difference difference : e.differences()) {
                details.add("key range " + difference.range()
                        + (difference.reason() == null ? "" : ": " + difference.reason()));
            }
            throw new DataLossException("migration of " + settings.table().quoted() + " stopped before the cut-over: "
                    + "the checksum found " + settings.ghostTable().quoted() + " different from "
                    + settings.table().quoted() + " in " + details.size() + " key range(s) of "
                    + String.join(", ", prepared.key().columns()) + " even after copying them again: "
                    + String.join("; ", details.subList(0, Math.min(3, details.size())))
                    + (details.size() > 3 ? " (and " + (details.size() - 3) + " more)" : "")
                    + ". Nothing was cut over and the original table is untouched. A duplicate on a unique key means "
                    + "the new table cannot hold every row: fix the data or the ALTER", details, List.of());
        }
    }

    /**
     * The checksum only reads (its repairs are whole transactions that copy a range again), so a run cut short by a
     * lost connection (a KILL, a server restart, a network reset) proves nothing either way and is simply run again
     * from the start on new connections, a few times. A statement stopped by {@code KILL QUERY} is not a lost
     * connection: an operator stopped it, and the migration fails with its error.
     */
    private TableChecksum.Outcome verifyAcrossLostConnections(TableChecksum checksum) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return checksum.verify();
            } catch (SQLException e) {
                if (!Sql.isConnectionLost(e) || attempt >= CONNECTION_ATTEMPTS) {
                    throw e;
                }
                log.warn("Checksum: a connection of the checksum of {} was lost ({}); checking again from the start "
                        + "on new connections in {} ms (attempt {}/{})", settings.table().quoted(), e.getMessage(),
                        RETRY_PAUSE.toMillis(), attempt + 1, CONNECTION_ATTEMPTS);
                Thread.sleep(RETRY_PAUSE.toMillis());
                stop.checkNotStopped();
            }
        }
    }

    private static TableChecksum.Plan plan(Prepared prepared) {
        UniqueKey key = prepared.key();
        List<ColumnSchema> sources = prepared.sourceColumns();
        List<ColumnSchema> targets = new ArrayList<>();
        for (String target : prepared.targetColumns()) {
            targets.add(prepared.ghost().schema().column(target).orElseThrow());
        }
        List<KeyColumn> originalKey = new ArrayList<>();
        List<KeyColumn> ghostKey = new ArrayList<>();
        List<String> ghostKeyColumns = new ArrayList<>();
        for (String name : key.columns()) {
            ColumnSchema source = prepared.original().schema().column(name).orElseThrow();
            ColumnSchema target = targets.get(sources.indexOf(source));
            originalKey.add(KeyColumn.of(source));
            ghostKeyColumns.add(target.name());
            // Ranges select the same rows in both tables only where the key compares alike in both.
            ghostKey = ghostKey == null || !ChecksumColumns.sameType(source, target) ? null : ghostKey;
            if (ghostKey != null) {
                ghostKey.add(KeyColumn.of(target));
            }
        }
        if (key.nullable()) {
            // Key ranges never hold the rows whose key has a NULL (NULL compares as neither greater nor smaller), and
            // a range's bound may itself be a NULL: compare the whole table at once instead.
            ghostKey = null;
        }
        Optional<UniqueKey> ghostIndex = prepared.ghost().uniqueKeys().stream()
                .filter(k -> k.sameColumnsAs(new UniqueKey(key.name(), ghostKeyColumns, false, false)))
                .findFirst();
        return new TableChecksum.Plan(key.name(), originalKey, ghostIndex.map(UniqueKey::name).orElse(null),
                ghostKey, sources, targets);
    }
}
