package dev.ghost.internal.engine;

import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.trigger.TableTrigger;
import dev.ghost.internal.trigger.TableTriggers;
import dev.ghost.internal.trigger.TriggerOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The original's triggers on the ghost table ({@code --include-triggers}), created at the last moment: under the
 * cut-over's lock, once the replay has applied every change made before it. Until then the ghost has no trigger, so
 * no copied row and no replayed change fires one: a change to the original fires the original's triggers once, when
 * it is made, and the copy of that change into the ghost fires nothing. While the ghost carries them the replay holds
 * its writes: if the attempt fails and the original is unlocked, the triggers are dropped before the replay writes the
 * ghost again. After the swap the replay writes nothing (the rows it sees are the new table's own).
 */
final class GhostTriggers {

    private static final Logger log = LoggerFactory.getLogger(GhostTriggers.class);

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChangeStream stream;
    /** The triggers this attempt created (or may have) on the ghost table. */
    private final List<String> created = new ArrayList<>();
    private boolean holding;

    GhostTriggers(MigrationSettings settings, ServerConnections connections, ChangeStream stream) {
        this.settings = settings;
        this.connections = connections;
        this.stream = stream;
    }

    /**
     * Creates the original's triggers on the ghost table. Call under the cut-over's lock, after the replay caught up
     * and before the rename. The triggers are read again here: what the original has at the swap is what the new
     * table gets (a trigger dropped since the pre-flight checks is not brought back), and the names are checked again.
     */
    void install() throws Exception {
        TriggerOptions options = settings.triggers();
        if (!options.include()) {
            return;
        }
        stream.holdReplay(true); // before the first trigger exists; no write is due while the original is locked
        holding = true;
        try (Connection connection = connections.open()) {
            // Never wait long on the ghost's metadata lock: the original is locked meanwhile.
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = "
                        + Math.max(1, settings.cutoverLockTimeout().toSeconds()));
            }
            List<TableTrigger> triggers = TableTriggers.of(connection, settings.table());
            Optional<String> refusal = TableTriggers.refusal(connection, settings.table(), triggers, options);
            if (refusal.isPresent()) {
                throw new IllegalStateException(refusal.get());
            }
            for (TableTrigger trigger : triggers) {
                String name = options.ghostName(trigger.name());
                String sql = TableTriggers.createStatement(trigger, name, settings.ghostTable());
                stream.expectStatement(sql); // it names the ghost table: let it pass the replay's statement guard
                created.add(name); // before it runs: a create that fails midway is dropped too (IF EXISTS)
                TableTriggers.create(connection, trigger, sql);
                log.info("created trigger {} on {} (from {})", name, settings.ghostTable(), trigger.name());
            }
        }
    }

    /**
     * After a failed attempt: drops the triggers this attempt created on the ghost, then lets the replay write it
     * again. Throws when they cannot be dropped: the replay then stays held, and the migration must stop.
     */
    void remove() throws SQLException {
        if (!holding) {
            return;
        }
        if (!created.isEmpty()) {
            try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
                for (String name : List.copyOf(created)) {
                    statement.execute(TableTriggers.dropStatement(settings.ghostTable(), name));
                    created.remove(name);
                }
            }
            log.info("dropped the triggers of the failed cut-over attempt from {}", settings.ghostTable());
        }
        stream.holdReplay(false);
        holding = false;
    }

    /** The triggers still on the ghost table, for an error message. */
    List<String> left() {
        return List.copyOf(created);
    }
}
