package dev.ghost.internal.engine;

import dev.ghost.CriticalLoadException;
import dev.ghost.CutoverFailedException;
import dev.ghost.DataLossException;
import dev.ghost.GhostException;
import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationFailedException;
import dev.ghost.spi.TableName;

import java.util.List;
import java.util.concurrent.ExecutionException;

/** Turns what stopped a migration into the {@link GhostException} subclass its caller gets. */
final class Failures {

    private Failures() {
    }

    /** A cancel wins over the failure it caused; another thread's failure wins over the interrupt it caused here. */
    static GhostException classify(TableName table, StopSignal stop, Throwable failure) {
        if (stop.cancelled()) {
            return new MigrationCancelledException("migration of " + table + " was "
                    + (stop.panicked() ? "stopped by panic" : "cancelled"), List.of());
        }
        Throwable cause = stop.failure() != null ? stop.failure() : failure;
        if (cause instanceof GhostException ghost) {
            return ghost;
        }
        return new MigrationFailedException("migration of " + table + " failed: " + describe(cause),
                cause, List.of());
    }

    /** The same exception, naming the tables the migration leaves behind. */
    static GhostException withRemainingTables(GhostException error, List<String> remaining) {
        if (remaining.isEmpty() || !(error instanceof MigrationFailedException failed)) {
            return error;
        }
        if (failed instanceof MigrationCancelledException) {
            return new MigrationCancelledException(failed.getMessage(), remaining);
        }
        if (failed instanceof CriticalLoadException critical) {
            return new CriticalLoadException(failed.getMessage(), critical.reached(), remaining);
        }
        if (failed instanceof DataLossException loss) {
            return new DataLossException(failed.getMessage(), loss.warnings(), remaining);
        }
        if (failed instanceof CutoverFailedException) {
            return new CutoverFailedException(failed.getMessage(), failed.getCause(), remaining);
        }
        return new MigrationFailedException(failed.getMessage(), failed.getCause(), remaining);
    }

    /** What the data-loss guard throws when the copy or the replay produced warnings that lose data. */
    static DataLossException dataLoss(TableName table, String during, List<String> warnings) {
        return new DataLossException("migration of " + table.quoted() + " stopped before the cut-over: "
                + during + " produced warnings that mean data loss: " + String.join("; ", warnings.subList(0,
                Math.min(3, warnings.size()))) + (warnings.size() > 3 ? " (and " + (warnings.size() - 3) + " more)" : "")
                + ". The original table is untouched. Fix the data or the ALTER, or run with "
                + "--panic-on-warnings=false (panicOnWarnings(false)) to accept the loss", warnings, List.of());
    }

    /** The migration's own exception, for a caller waiting on its outcome. */
    static GhostException rethrown(ExecutionException e) {
        if (e.getCause() instanceof GhostException ghost) {
            return ghost;
        }
        return new GhostException(String.valueOf(e.getCause().getMessage()), e.getCause());
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
