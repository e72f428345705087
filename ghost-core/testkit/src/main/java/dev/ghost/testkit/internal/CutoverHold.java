package dev.ghost.testkit.internal;

import dev.ghost.MigrationState;
import dev.ghost.RunningMigration;
import dev.ghost.event.MigrationListener;
import dev.ghost.event.StateChange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a migration's cut-over from its very start (a postpone flag file exists before the migration does, so no
 * race with a fast copy), and wakes the test when the migration waits to cut over, or ended without getting there.
 * Then the test stops its writers and {@link #release releases} the cut-over.
 */
public final class CutoverHold implements MigrationListener, AutoCloseable {

    private final Path flagFile;
    private final CountDownLatch reached = new CountDownLatch(1);

    /** Creates the flag file. */
    public CutoverHold() {
        try {
            flagFile = Files.createTempFile("ghost-testkit-", ".postpone-cutover");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a postpone flag file: " + e.getMessage(), e);
        }
    }

    /**
     * The file to give {@code postponeCutoverFlagFile}.
     *
     * @return the flag file, which exists until {@link #release} or {@link #close}
     */
    public Path flagFile() {
        return flagFile;
    }

    @Override
    public void stateChanged(StateChange change) {
        if (change.to() == MigrationState.POSTPONED || change.to().isTerminal()) {
            reached.countDown();
        }
    }

    /**
     * Waits until the migration waits to cut over or has ended.
     *
     * @param migration the migration this hold was given to
     * @param timeout   how long to wait at most
     * @return false when {@code timeout} passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitHeldOrEnded(RunningMigration migration, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The listener wakes us; the status is asked too, in case the state was reached before the listener counted.
        while (!reached.await(200, TimeUnit.MILLISECONDS)) {
            MigrationState state = migration.status().state();
            if (state == MigrationState.POSTPONED || state.isTerminal()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lets the cut-over go.
     *
     * @param migration the migration this hold was given to
     */
    public void release(RunningMigration migration) {
        migration.unpostponeCutover();
        close();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(flagFile);
        } catch (IOException ignored) {
            // a leftover empty file in the temp directory is harmless
        }
    }
}
