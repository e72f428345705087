package dev.ghost.internal.engine;

/**
 * Why a migration is stopping, if it is: cancelled or panicked by an operator, or failed on another thread (the
 * replay, the throttler). Written by those threads, read by the phases between their steps; interrupting the
 * migration thread is its owner's part.
 */
final class StopSignal {

    private volatile boolean cancelled;
    private volatile boolean panicked;
    private volatile Throwable failure;

    void cancel() {
        cancelled = true;
    }

    /** A cancel that leaves ghost's tables for inspection; marked first, so whoever sees the cancel sees the panic. */
    void panic() {
        panicked = true;
        cancelled = true;
    }

    /** Records the first failure of another thread; later ones are its consequences. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    boolean panicked() {
        return panicked;
    }

    /** The failure of another thread, or null. */
    Throwable failure() {
        return failure;
    }

    /** Lets a phase stop between its steps, as an interrupt would. */
    void checkNotStopped() throws InterruptedException {
        if (cancelled || failure != null || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("migration stopped");
        }
    }
}
