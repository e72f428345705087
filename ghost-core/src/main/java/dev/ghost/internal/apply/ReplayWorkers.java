package dev.ghost.internal.apply;

import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.sql.Sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The replay's connections, one per partition, and the threads that run a phase's partitions at once. Each
 * partition's work is one transaction on its own connection, committed, and run again from the start on a deadlock
 * or lock wait timeout (the work is idempotent: deletes by key, and copies of current rows).
 */
final class ReplayWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplayWorkers.class);
    private static final int ATTEMPTS = 10;

    /** One partition's statements, run on its connection inside a transaction. */
    @FunctionalInterface
    interface Work {
        void run(Connection connection) throws SQLException, InterruptedException;
    }

    private final List<Connection> connections = new ArrayList<>();
    /** Runs every partition but the first busy one, which the calling thread runs itself. */
    private final ExecutorService threads;

    ReplayWorkers(ServerConnections server, int count, String name) throws SQLException {
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = server.open();
                connections.add(connection);
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            closeConnections();
            throw e;
        }
        this.threads = count <= 1 ? null : Executors.newFixedThreadPool(count - 1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    int size() {
        return connections.size();
    }

    /**
     * Runs {@code works.get(i)} on connection {@code i} for every non-null entry, all at once, and returns once each
     * has committed; throws the first failure once every other partition has ended.
     */
    void runAll(List<Work> works) throws SQLException, InterruptedException {
        List<Future<?>> running = new ArrayList<>();
        int inline = -1;
        for (int i = 0; i < works.size(); i++) {
            if (works.get(i) == null) {
                continue;
            }
            if (inline < 0) {
                inline = i; // the calling thread takes one: no hand-off when a round has one busy partition
                continue;
            }
            Connection connection = connections.get(i);
            Work work = works.get(i);
            running.add(threads.submit(() -> {
                runCommitted(connection, work);
                return null;
            }));
        }
        Throwable failure = null;
        if (inline >= 0) {
            try {
                runCommitted(connections.get(inline), works.get(inline));
            } catch (SQLException | RuntimeException e) {
                failure = e;
            }
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                running.forEach(f -> f.cancel(true));
                throw e;
            }
        }
        Sql.rethrow(failure);
    }

    private static void runCommitted(Connection connection, Work work) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                work.run(connection);
                connection.commit();
                return;
            } catch (SQLException e) {
                rollback(connection);
                if (!Sql.isRetryable(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
                log.debug("replay attempt {} failed ({}); retrying", attempt, e.getMessage());
                Thread.sleep(10L * attempt);
            } catch (RuntimeException | InterruptedException e) {
                rollback(connection);
                throw e;
            }
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.shutdownNow();
            try {
                threads.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnections();
    }

    private void closeConnections() {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a replay connection failed: {}", e.getMessage());
            }
        }
        connections.clear();
    }
}
