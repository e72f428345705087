package dev.ghost.internal.apply;

import dev.ghost.internal.sql.Backoff;
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
 *
 * <p>A connection that dies (killed, timed out, network lost) is reopened, with backoff, and the partition's work
 * run again on the new one; if it cannot be reopened within the bound, the replay fails. Running it again is safe
 * whatever the old connection got done: the work is one transaction, so either nothing of it was committed (the
 * server rolls back a transaction whose session ends) or all of it was (the connection died after the server
 * committed, before the client heard). Run again, its deletes find nothing more to delete, its upserts write the
 * rows as the original holds them now, or the same images again; and a phase's partitions all end before the next
 * phase starts, so a round's deletes still come before its upserts.
 */
final class ReplayWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplayWorkers.class);
    private static final int ATTEMPTS = 10;

    /** One partition's statements, run on its connection inside a transaction. */
    @FunctionalInterface
    interface Work {
        void run(Connection connection) throws SQLException, InterruptedException;
    }

    /**
     * One per partition; an entry is replaced when its connection is lost. Each is touched by one thread at a time:
     * the one running its partition's work, handed over through the executor and its futures.
     */
    private final Connection[] connections;
    private final ServerConnections server;
    /** Runs every partition but the first busy one, which the calling thread runs itself. */
    private final ExecutorService threads;

    ReplayWorkers(ServerConnections server, int count, String name) throws SQLException {
        this.server = server;
        this.connections = new Connection[count];
        try {
            for (int i = 0; i < count; i++) {
                connections[i] = open();
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

    private Connection open() throws SQLException {
        Connection connection = server.open(ServerConnections.Role.REPLAY);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            Sql.closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    int size() {
        return connections.length;
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
            int slot = i;
            Work work = works.get(i);
            running.add(threads.submit(() -> {
                runCommitted(slot, work);
                return null;
            }));
        }
        Throwable failure = null;
        if (inline >= 0) {
            try {
                runCommitted(inline, works.get(inline));
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

    private void runCommitted(int slot, Work work) throws SQLException, InterruptedException {
        Backoff reconnects = null;
        for (int attempt = 1; ; attempt++) {
            Connection connection = connections[slot];
            try {
                if (connection == null) {
                    connection = open();
                    connections[slot] = connection;
                    log.info("replay connection reopened; running the partition again");
                }
                work.run(connection);
                connection.commit();
                return;
            } catch (SQLException e) {
                if (Sql.isConnectionLost(e)) {
                    Sql.closeQuietly(connection);
                    connections[slot] = null;
                    reconnects = reconnects == null ? Backoff.forReconnects() : reconnects;
                    if (!reconnects.failed(System.nanoTime())) {
                        throw new SQLException("the replay lost its connection to the server and could not reopen "
                                + "it (" + reconnects.bound() + "): " + e.getMessage(), e.getSQLState(),
                                e.getErrorCode(), e);
                    }
                    log.warn("replay connection lost ({}); running the partition again on a new connection in {} ms",
                            e.getMessage(), reconnects.delay().toMillis());
                    Thread.sleep(reconnects.delay().toMillis());
                    attempt--; // a lost connection is not one of the deadlock attempts
                    continue;
                }
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
        if (connection == null) {
            return; // it could not even be opened
        }
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
        for (int i = 0; i < connections.length; i++) {
            Sql.closeQuietly(connections[i]);
            connections[i] = null;
        }
    }
}
