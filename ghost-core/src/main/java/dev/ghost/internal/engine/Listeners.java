package dev.ghost.internal.engine;

import dev.ghost.event.InteractiveCommand;
import dev.ghost.event.MigrationListener;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
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

    /**
     * Asks every listener about a socket command; the first that says no, or throws, refuses it. Returns the answer
     * for the operator, or empty to apply the command.
     */
    Optional<String> commandRefusal(InteractiveCommand command) {
        for (MigrationListener listener : listeners) {
            try {
                if (!listener.approveCommand(command)) {
                    log.info("listener {} refused the interactive command \"{}\" on {}", listener, command.line(),
                            table);
                    return Optional.of(command.command() + ": refused by a listener; nothing changed");
                }
            } catch (RuntimeException e) {
                log.info("a listener refused the interactive command \"{}\" on {}: {}", command.line(), table,
                        e.getMessage());
                return Optional.of(command.command() + ": refused: " + e.getMessage() + "; nothing changed");
            }
        }
        return Optional.empty();
    }
}
