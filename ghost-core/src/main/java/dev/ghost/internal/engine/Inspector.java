package dev.ghost.internal.engine;

import dev.ghost.BinlogPositioning;
import dev.ghost.ServerAddress;
import dev.ghost.PreflightCheckException;
import dev.ghost.internal.alter.AlterAnalysis;
import dev.ghost.internal.check.MigrationLock;
import dev.ghost.internal.check.Preflight;
import dev.ghost.internal.check.Replication;
import dev.ghost.internal.check.ServerChecks;
import dev.ghost.internal.sql.ConnectionOpener;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.table.InspectedTable;
import dev.ghost.internal.table.TableInspector;
import dev.ghost.internal.tls.TlsFailures;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The inspection phase (gh-ost's inspector): reads the ALTER, takes the table's migration lock, runs the preflight
 * checks and estimates the rows, all before anything is created.
 */
final class Inspector {

    private static final Logger log = LoggerFactory.getLogger(Inspector.class);
    private static final int ER_ACCESS_DENIED = 1045;

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ServerConnections replica;

    /**
     * @param connections the server ghost writes on
     * @param replica     the replica ghost reads, when it reads one and writes on its master; else the same
     */
    Inspector(MigrationSettings settings, ServerConnections connections, ServerConnections replica) {
        this.settings = settings;
        this.connections = connections;
        this.replica = replica;
    }

    /**
     * Reading a replica and writing on its master: the master is the one named, or the one the replica replicates
     * from; the writing connections are pointed at it. The replica must be one, with the binlog ghost reads.
     */
    void findMaster() throws SQLException {
        if (settings.replicaMode() != Replication.Mode.VIA_REPLICA) {
            return;
        }
        TableName table = settings.table();
        try (Connection connection = openConnection(replica)) {
            if (settings.topology().switchToRbr()) {
                Replication.switchToRowFormat(connection);
            }
            ServerChecks.ServerInfo server = ServerChecks.verifyBinlog(connection, table);
            Replication.check(connection, table, Replication.Mode.VIA_REPLICA, server.mariadb());
            ServerAddress master = settings.master() != null ? settings.master()
                    : Replication.masterOf(connection, server.mariadb(), table);
            connections.redirect(master, settings.masterUser(), settings.masterPassword());
            log.info("reading the replica {} and migrating on its master {}", settings.server(), master);
        }
    }

    /** Refuses what the ALTER would get wrong, before anything is created. */
    AlterAnalysis analyseAlter() {
        TableName table = settings.table();
        AlterAnalysis alter;
        try {
            alter = AlterAnalysis.of(settings.alter());
        } catch (IllegalArgumentException e) {
            throw new PreflightCheckException("alter-syntax", table.toString(), "cannot read the ALTER for "
                    + table.quoted() + ": " + e.getMessage(), e);
        }
        if (alter.renamesTable()) {
            throw new PreflightCheckException("alter-renames-table", table.toString(), "cannot migrate "
                    + table.quoted() + ": alter statement seems to RENAME the table. This is not supported; migrate "
                    + "first, then rename with RENAME TABLE");
        }
        if (!alter.renamedColumns().isEmpty() && !settings.approveRenamedColumns()
                && !settings.skipRenamedColumns()) {
            StringBuilder renames = new StringBuilder();
            alter.renamedColumns().forEach((from, to) -> renames.append(renames.length() == 0 ? "" : ", ")
                    .append(from).append(" -> ").append(to));
            throw new PreflightCheckException("renamed-columns", table.toString(), "the ALTER of " + table.quoted()
                    + " seems to rename columns: " + renames + ". As a precaution, confirm with "
                    + "--approve-renamed-columns (approveRenamedColumns) to copy their values under the new names, "
                    + "or --skip-renamed-columns (skipRenamedColumns) to leave the renamed columns at their defaults");
        }
        return alter;
    }

    /** Keeps a second migration of the same table out; the caller releases the lock. */
    MigrationLock lock() throws SQLException {
        // Its own role: short read timeouts, and a way to take the lock again if its connection dies.
        ConnectionOpener lockConnections = () -> connections.open(ServerConnections.Role.MIGRATION_LOCK);
        return MigrationLock.acquire(openConnection(lockConnections, connections.server()), settings.table(),
                lockConnections);
    }

    /** Runs the preflight checks on the table and estimates its rows. */
    Inspection inspect(AlterAnalysis alter) throws SQLException {
        TableName table = settings.table();
        try (Connection connection = openConnection(connections)) {
            boolean onReplica = settings.replicaMode() == Replication.Mode.TEST_ON_REPLICA
                    || settings.replicaMode() == Replication.Mode.MIGRATE_ON_REPLICA;
            if (onReplica && settings.topology().switchToRbr()) {
                Replication.switchToRowFormat(connection);
            }
            InspectedTable original = Preflight.run(connection, table, new Preflight.Options(settings.ghostTable(),
                    settings.oldTable(), settings.sentryTable(), settings.discardForeignKeys(),
                    settings.allowNullableUniqueKey(),
                    settings.initiallyDropGhostTable(), settings.initiallyDropOldTable(),
                    settings.binlogPositioning() == BinlogPositioning.GTID,
                    settings.replicaMode() == Replication.Mode.VIA_REPLICA ? Replication.Mode.ON_MASTER
                            : settings.replicaMode(), settings.replicaMode() != Replication.Mode.VIA_REPLICA,
                    settings.topology().allowMasterMaster(),
                    settings.checkpoints().resume() || settings.checkpoints().reverting(), settings.triggers()));
            for (String column : alter.renamedColumns().keySet()) {
                if (original.schema().column(column).isEmpty()) {
                    throw new PreflightCheckException("alter-columns", table.toString(), "the ALTER renames column `"
                            + column + "`, but " + table.quoted() + " has no such column; check the ALTER");
                }
            }
            log.info("inspected {} on {}: {} columns, {} unique keys", table, connections.server(),
                    original.schema().columns().size(), original.uniqueKeys().size());
            long estimate = TableInspector.rowEstimate(connection, table, settings.exactRowCount());
            return new Inspection(original, alter, estimate);
        }
    }

    /** A connection, or a preflight failure that says what to check: the first connection proves the settings. */
    private Connection openConnection(ServerConnections server) {
        return openConnection(server::open, server.server());
    }

    private Connection openConnection(ConnectionOpener server, ServerAddress address) {
        try {
            return server.open();
        } catch (SQLException e) {
            if (e.getErrorCode() == 1049) { // ER_BAD_DB_ERROR: the session's default database does not exist
                throw new PreflightCheckException("database-exists", settings.table().toString(), "database `"
                        + settings.table().schema() + "` does not exist on " + settings.server() + " (" + e.getMessage()
                        + "); check --database", e);
            }
            Optional<String> tls = TlsFailures.explain(e, settings.tls(), address.toString());
            if (tls.isPresent()) {
                throw new PreflightCheckException("connection", settings.table().toString(), "cannot connect to "
                        + address + " as " + settings.user() + " to migrate " + settings.table() + ": "
                        + tls.get(), e);
            }
            throw new PreflightCheckException("connection", settings.table().toString(), "cannot connect to "
                    + settings.server() + " as " + settings.user() + " to migrate " + settings.table() + ": "
                    + e.getMessage() + "; check the host, port, user and password"
                    + (e.getErrorCode() == ER_ACCESS_DENIED && !settings.tls().mode().requiresTls()
                    ? ", and whether the user must connect with TLS (REQUIRE SSL: use --ssl, Tls.verifyIdentity())"
                    : ""), e);
        }
    }
}
