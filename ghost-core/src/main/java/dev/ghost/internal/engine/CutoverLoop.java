package dev.ghost.internal.engine;

import dev.ghost.CutoverFailedException;
import dev.ghost.event.CutoverCompleted;
import dev.ghost.internal.cutover.CutoverSupport;
import dev.ghost.internal.throttle.Throttler;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The cut-over phase: attempts of the cut-over strategy, each once no throttle holds it, the replay has nearly caught
 * up and the listeners approve it, with a pause after a failed one (the blocking transaction may end), until one
 * succeeds or the retries are used up. A failed attempt leaves the original table in place. The throttler keeps
 * running through this phase, as gh-ost's does, so that critical-load still stops a migration whose cut-over is
 * retrying.
 */
final class CutoverLoop {

    private static final Logger log = LoggerFactory.getLogger(CutoverLoop.class);
    /** The cut-over starts once the backlog is down to this, so that the lock covers only the last few events. */
    static final long READY_BACKLOG = 100;
    /** A marker's trip through the binlog and the replay that is short enough to lock now. */
    private static final Duration READY_TRIP = Duration.ofMillis(20);
    /** How long the cut-over waits for such a trip before locking anyway. */
    private static final Duration READY_PATIENCE = Duration.ofSeconds(10);

    /** The attempt that succeeded, and how it went. */
    record Attempted(CutoverOutcome outcome, int attempts) {
    }

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChangeStream stream;
    private final Listeners listeners;
    private final StopSignal stop;
    private final Throttler throttler;
    private final GhostTriggers triggers;

    CutoverLoop(MigrationSettings settings, ServerConnections connections, ChangeStream stream, Listeners listeners,
                StopSignal stop, Throttler throttler) {
        this.settings = settings;
        this.throttler = throttler;
        this.connections = connections;
        this.stream = stream;
        this.listeners = listeners;
        this.stop = stop;
        this.triggers = new GhostTriggers(settings, connections, stream);
    }

    Attempted run() throws Exception {
        CutoverStrategy strategy = settings.cutoverStrategy() != null ? settings.cutoverStrategy()
                : CutoverSupport.defaultStrategy();
        CutoverContext context = context();
        Exception last = null;
        for (int attempt = 1; attempt <= settings.defaultRetries(); attempt++) {
            stop.checkNotStopped();
            if (attempt > 1) {
                throttler.awaitNotThrottled(); // the first attempt was held by the caller, which reports the reason
                stop.checkNotStopped();
            }
            stream.awaitBacklogAtMost(READY_BACKLOG, Duration.ofSeconds(30));
            int currentAttempt = attempt;
            try {
                stream.prepareForCutover(Duration.ofSeconds(30));
                awaitReplayNearlyCaughtUp();
                if (!listeners.approveCutover(attempt)) {
                    throw new IllegalStateException("a listener vetoed the cut-over");
                }
                CutoverOutcome outcome = strategy.cutOver(context);
                log.info("Lock & rename duration: {}. During this time, queries on {} were blocked",
                        GoDuration.format(outcome.lockHeld()), TableName.quote(settings.table().name()));
                listeners.notifyEach(l -> l.cutoverCompleted(new CutoverCompleted(settings.table().toString(),
                        settings.oldTable().toString(), outcome.lockHeld(), currentAttempt)));
                return new Attempted(outcome, attempt);
            } catch (InterruptedException e) {
                removeTriggersQuietly(e);
                throw e;
            } catch (UnsupportedOperationException e) {
                removeTriggersQuietly(e);
                throw new CutoverFailedException("the " + strategy.name() + " cut-over cannot run here: "
                        + e.getMessage() + ". The original table is in place", e, List.of());
            } catch (Exception e) {
                last = e;
                try {
                    triggers.remove();
                } catch (SQLException dropFailed) {
                    // The replay stays held: a change written to the ghost now would fire them a second time.
                    e.addSuppressed(dropFailed);
                    throw new CutoverFailedException("cut-over of " + settings.table() + " failed (" + e.getMessage()
                            + ") and the triggers it created on " + settings.ghostTable() + " (" + String.join(",",
                            triggers.left()) + ") could not be dropped: " + dropFailed.getMessage() + ". The original "
                            + "table is in place; the migration stops so that replayed changes do not fire them. Drop "
                            + "the ghost table (or those triggers) before running it again", e, List.of());
                }
                try {
                    stream.endCutoverAttempt();
                } catch (SQLException markerFailed) {
                    // Without that marker a stranger's rename could pass as the next attempt's: stop instead.
                    e.addSuppressed(markerFailed);
                    throw new CutoverFailedException("cut-over of " + settings.table() + " failed (" + e.getMessage()
                            + ") and its end could not be marked in the changelog: " + markerFailed.getMessage()
                            + ". The original table is in place", e, List.of());
                }
                Duration pause = settings.cutover().pauseAfter(attempt);
                log.warn("{} cut-over attempt {}/{} of {} failed: {}", strategy.name(), attempt,
                        settings.defaultRetries(), settings.table(), e.getMessage());
                if (attempt < settings.defaultRetries()) {
                    Thread.sleep(pause.toMillis()); // let the blocking transaction finish
                }
            }
        }
        throw new CutoverFailedException("cut-over of " + settings.table() + " failed " + settings.defaultRetries()
                + " times; last error: " + (last == null ? "none" : last.getMessage())
                + ". The original table is in place and takes writes as before. Run the migration again once the "
                + "sessions that hold it have ended, or give the cut-over more time: --cut-over-lock-timeout-seconds "
                + "(cutoverLockTimeout), --default-retries (defaultRetries)", last, List.of());
    }

    /** On the way out of a migration that stops anyway: the ghost table should not keep the triggers. */
    private void removeTriggersQuietly(Exception cause) {
        try {
            triggers.remove();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            log.warn("could not drop the triggers created on {}: {}", settings.ghostTable(), e.getMessage());
        }
    }

    /**
     * The lock is held until the replay has applied every event written before it, so it lasts about as long as one
     * marker takes to travel through the binlog and the replay. Under load the backlog count alone does not show that
     * trip (events still unread by the stream are not counted), so markers are sent until one arrives quickly, or the
     * patience is spent; then the lock covers only the last few events.
     */
    private void awaitReplayNearlyCaughtUp() throws Exception {
        long deadline = System.nanoTime() + READY_PATIENCE.toNanos();
        for (int probe = 1; ; probe++) {
            long sent = System.nanoTime();
            stream.awaitMarker("ready", Duration.ofSeconds(30));
            Duration trip = Duration.ofNanos(System.nanoTime() - sent);
            if (trip.compareTo(READY_TRIP) <= 0 || System.nanoTime() > deadline) {
                log.debug("the replay is {} behind the binlog's head (probe {})", GoDuration.format(trip), probe);
                return;
            }
        }
    }

    /** What a strategy gets: the tables, connections, and the wait for the replay to pass its lock. */
    private CutoverContext context() {
        return new CutoverContext() {
            @Override
            public TableName original() {
                return settings.table();
            }

            @Override
            public TableName ghost() {
                return settings.ghostTable();
            }

            @Override
            public TableName old() {
                return settings.oldTable();
            }

            @Override
            public Connection openConnection() throws SQLException {
                return connections.open();
            }

            @Override
            public Duration lockTimeout() {
                return settings.cutoverLockTimeout();
            }

            @Override
            public void awaitReplayCaughtUp(Duration timeout) throws Exception {
                try {
                    stream.awaitCutoverMarker(timeout);
                } catch (TimeoutException e) {
                    throw new TimeoutException("the replay did not catch up within " + timeout
                            + " of locking (backlog " + stream.backlog() + " keys)");
                }
                // The last moment before the swap: the original is locked and the ghost is complete, so from here
                // on no copied or replayed row is written to the ghost, and its triggers fire for no change twice.
                triggers.install();
            }
        };
    }
}
