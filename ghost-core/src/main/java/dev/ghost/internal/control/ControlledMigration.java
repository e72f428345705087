package dev.ghost.internal.control;

import dev.ghost.RunningMigration;

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

    Optional<Path> postponeCutoverFlagFile();

    /** Null removes it. */
    void postponeCutoverFlagFile(Path file);
}
