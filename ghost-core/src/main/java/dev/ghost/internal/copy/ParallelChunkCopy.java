package dev.ghost.internal.copy;

import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.CopyContext;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies chunks on several threads, each with a connection of its own. The thread that walks the key hands chunks
 * over through a queue as short as the number of threads, so the walk never runs far ahead of the copy and a
 * throttle that holds the copying threads soon holds the walk too. The first failure stops every thread; the walker
 * sees it at its next hand-over and rethrows it. Closing always waits for the threads, so that no connection outlives
 * the copy.
 */
final class ParallelChunkCopy implements AutoCloseable {

    /** Copies one chunk on the given connection and reports it. */
    @FunctionalInterface
    interface ChunkCopier {
        void copy(CopyConnection connection, Chunk chunk) throws SQLException, InterruptedException;
    }

    /**
     * A range of the key: from {@code start} (inclusive or not) to {@code end} (inclusive), about {@code rows} rows
     * when the walk counted them; {@code arithmetic} when the range was computed (its rows are known once copied);
     * {@code sequence} its place in the plan's order ({@link CopiedPrefix}).
     */
    record Chunk(Object[] start, boolean startInclusive, Object[] end, int rows, IntegerRanges.Range arithmetic,
                 long sequence) {
    }

    private static final Chunk END = new Chunk(null, false, null, 0, null, -1);

    private final BlockingQueue<Chunk> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;

    ParallelChunkCopy(int threads, String tableName, CopyContext context, ChunkCopier copier) {
        this.queue = new ArrayBlockingQueue<>(threads);
        for (int i = 1; i <= threads; i++) {
            Thread worker = new Thread(() -> copyUntilEnd(context, copier), "ghost-copy-" + tableName + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    private void copyUntilEnd(CopyContext context, ChunkCopier copier) {
        try (CopyConnection connection = new CopyConnection(context)) {
            while (!stopping) {
                Chunk chunk = queue.take();
                if (chunk == END) {
                    return;
                }
                context.awaitPermissionToCopy();
                copier.copy(connection, chunk);
            }
        } catch (Throwable e) {
            if (failure.compareAndSet(null, e)) {
                stopping = true; // the others end after their chunk in flight
            }
        }
    }

    /** Hands a chunk to the next free thread; waits while all are busy. Rethrows a copying thread's failure. */
    void submit(Chunk chunk) throws SQLException, InterruptedException {
        while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            rethrowFailure();
        }
        rethrowFailure();
    }

    /** Waits until every handed-over chunk is copied; rethrows the first failure. */
    void finish() throws SQLException, InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            submit(END);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        rethrowFailure();
    }

    private void rethrowFailure() throws SQLException, InterruptedException {
        Sql.rethrow(failure.get());
    }

    /** Stops the threads (those waiting are interrupted; a statement in flight finishes) and waits for them. */
    @Override
    public void close() {
        stopping = true;
        boolean interrupted = false;
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: a thread still holds a connection
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
