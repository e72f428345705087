package dev.ghost.internal.engine;

import dev.ghost.internal.check.Replication;
import dev.ghost.internal.sql.ServerConnections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a migration on a replica does around the cut-over (gh-ost's --test-on-replica and --migrate-on-replica):
 * stop the replica's replication first, so that the table stops changing; after the swap, either swap the tables
 * back and leave replication stopped for a comparison (test), or start replication again so that the master's later
 * changes reach the new table (migrate); after a failure, start again what it stopped.
 */
final class ReplicaSide {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSide.class);

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private boolean stopped;

    ReplicaSide(MigrationSettings settings, ServerConnections connections) {
        this.settings = settings;
        this.connections = connections;
    }

    boolean onReplica() {
        return settings.replicaMode() == Replication.Mode.TEST_ON_REPLICA
                || settings.replicaMode() == Replication.Mode.MIGRATE_ON_REPLICA;
    }

    /** Before the cut-over: stops replication, unless on the master or told to keep replicating. */
    void beforeCutover() throws SQLException {
        if (!onReplica() || settings.keepReplicating()) {
            return;
        }
        try (Connection connection = connections.open()) {
            Replication.stop(connection);
            stopped = true;
        }
    }

    /**
     * After the swap (with the binlog stream stopped): --test-on-replica swaps the tables back, so that the original
     * is in place again beside the migrated {@code _t_gho}, and leaves replication as it is; --migrate-on-replica
     * starts replication again.
     */
    void afterSwap() throws SQLException {
        if (!onReplica()) {
            return;
        }
        try (Connection connection = connections.open()) {
            if (settings.replicaMode() == Replication.Mode.TEST_ON_REPLICA) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("RENAME TABLE " + settings.table().quoted() + " TO "
                            + settings.ghostTable().quoted() + ", " + settings.oldTable().quoted() + " TO "
                            + settings.table().quoted());
                }
                log.info("test on replica: the tables were swapped and swapped back: {} is the original again and {} "
                                + "the migrated table; replication is {}: compare them, then START SLAVE",
                        settings.table(), settings.ghostTable(), stopped ? "left stopped" : "running");
            } else if (stopped) {
                Replication.start(connection);
                stopped = false;
            }
        }
    }

    /** After a failure: starts replication again if the migration stopped it. */
    void afterFailure() {
        if (!stopped) {
            return;
        }
        try (Connection connection = connections.open()) {
            Replication.start(connection);
            stopped = false;
        } catch (SQLException e) {
            log.warn("could not start replication again on the replica after the failure: {}; run START SLAVE",
                    e.getMessage());
        }
    }
}
