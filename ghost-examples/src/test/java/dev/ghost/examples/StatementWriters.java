package dev.ghost.examples;

import dev.ghost.testing.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Writer threads for tests: each runs the statements {@code next} makes from its own seeded Random, one every 2 ms in
 * autocommit, until closed. A failing statement fails the thread loudly: the statements are the test's own.
 */
final class StatementWriters implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong writes = new AtomicLong();

    private StatementWriters() {
    }

    static StatementWriters start(TestDatabase db, int count, Function<Random, String> next) {
        StatementWriters writers = new StatementWriters();
        for (int w = 0; w < count; w++) {
            Random random = new Random(w);
            Thread thread = new Thread(() -> {
                try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                    while (!Thread.currentThread().isInterrupted()) {
                        statement.execute(next.apply(random));
                        writers.writes.incrementAndGet();
                        Thread.sleep(2);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "statement-writer-" + w);
            thread.start();
            writers.threads.add(thread);
        }
        return writers;
    }

    long writes() {
        return writes.get();
    }

    /** Stops every writer and waits for it. */
    @Override
    public void close() throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
