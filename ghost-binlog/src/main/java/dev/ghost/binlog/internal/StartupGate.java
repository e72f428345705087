package dev.ghost.binlog.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

// Holds start() until the server has sent the first event of the stream, or until the stream failed before that.
final class StartupGate {

    private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();
    /** Read on every event: cheaper than asking the future again. */
    private volatile boolean opened;

    /** An event arrived: the dump was accepted and the reader thread is reading. */
    void open() {
        if (!opened) {
            opened = true;
            firstEvent.complete(null);
        }
    }

    boolean isOpen() {
        return firstEvent.isDone() && !firstEvent.isCompletedExceptionally();
    }

    /** Fails start() with this cause; false when the stream was already established (start() has its answer). */
    boolean failIfStarting(Throwable cause) {
        return firstEvent.completeExceptionally(cause);
    }

    /**
     * Waits for the first event.
     *
     * @throws TimeoutException when none came in time
     * @throws ExecutionException with the failure that ended the stream first
     */
    void await(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        firstEvent.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
}
