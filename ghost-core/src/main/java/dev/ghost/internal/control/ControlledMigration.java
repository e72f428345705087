package dev.ghost.internal.control;

import dev.ghost.RunningMigration;
import dev.ghost.event.InteractiveCommand;
import dev.ghost.event.MigrationListener;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What gh-ost's socket commands read and change beyond the public {@link RunningMigration}: the current values. */
public interface ControlledMigration extends RunningMigration {

    int dmlBatchSize();

    String maxLoad();

    String criticalLoad();

    /** Zero when there is no limit. */
    Duration maxLag();

    double niceRatio();

    String throttleQuery();

    /** An empty or blank query removes it. */
    void throttleQuery(String query);

    /** The URL of the HTTP throttle check, or empty when there is none. */
    Optional<URI> throttleHttp();

    Optional<Path> postponeCutoverFlagFile();

    /** Null removes it. */
    void postponeCutoverFlagFile(Path file);

    /**
     * Asks the listeners whether to apply a command received on the socket ({@link MigrationListener#approveCommand});
     * the answer for the operator when one refuses it, or empty to apply it.
     */
    Optional<String> commandRefusal(InteractiveCommand command);
}
