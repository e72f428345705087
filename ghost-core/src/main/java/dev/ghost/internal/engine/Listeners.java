package dev.ghost.internal.engine;

import dev.ghost.event.MigrationListener;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/** The user's listeners of one migration, called so that one listener's failure neither stops it nor the others. */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final TableName table;
    private final List<MigrationListener> listeners;

    Listeners(TableName table, List<MigrationListener> listeners) {
        this.table = table;
        this.listeners = listeners;
    }

    void notifyEach(Consumer<MigrationListener> call) {
        for (MigrationListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("listener {} failed: {}", listener, e.getMessage());
            }
        }
    }

    /** Asks every listener; one that says no, or throws, vetoes this attempt. */
    boolean approveCutover(int attempt) {
        for (MigrationListener listener : listeners) {
            try {
                if (!listener.approveCutover(table.toString(), attempt)) {
                    log.info("listener {} vetoed cut-over attempt {} of {}", listener, attempt, table);
                    return false;
                }
            } catch (RuntimeException e) {
                log.warn("listener {} failed while asked to approve the cut-over, which vetoes it: {}", listener,
                        e.getMessage());
                return false;
            }
        }
        return true;
    }
}
