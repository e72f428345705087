package dev.ghost.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The threads of a synthetic write load: started together, asked to stop together, the first failure kept. Each
 * load (a fixture's, the test kit's, a test's own) decides what its writers do and what counts as a failure.
 */
public final class WriterThreads {

    private final String namePrefix;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private volatile Throwable failure;

    public WriterThreads(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /** Starts {@code count} daemon threads, the i-th running {@code body.apply(i)}. */
    public void start(int count, IntFunction<Runnable> body) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(body.apply(i), namePrefix + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Whether the writers have been asked to stop: their loops check it. */
    public boolean stopping() {
        return stopping;
    }

    /** Asks the writers to stop without waiting for them, e.g. from a writer that was interrupted. */
    public void askToStop() {
        stopping = true;
    }

    /** Keeps the first failure of a writer (later ones are usually its consequences). */
    public void failed(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** The first failure of a writer, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Asks the writers to stop and waits for each up to {@code perThread}; an interrupt ends the wait. */
    public void stop(Duration perThread) {
        askToStop();
        for (Thread thread : threads) {
            try {
                thread.join(perThread.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Like {@link #stop(Duration)} with 30 s per writer, then throws if a writer failed. */
    public void stopAndRethrow() {
        stop(Duration.ofSeconds(30));
        if (failure != null) {
            throw new IllegalStateException("a writer failed: " + failure, failure);
        }
    }
}
