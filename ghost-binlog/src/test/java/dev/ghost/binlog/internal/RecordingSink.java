package dev.ghost.binlog.internal;

import dev.ghost.spi.EventSink;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.StatementEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

// Collects what an event source delivers, so that tests can wait for events and failures with a timeout.
final class RecordingSink implements EventSink {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final BlockingQueue<RowsEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<StatementEvent> statements = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final AtomicInteger failureCalls = new AtomicInteger();

    @Override
    public void accept(RowsEvent event) {
        events.add(event);
    }

    /** Kept, not failed on: the tests of the source look at what it reports and go on streaming. */
    @Override
    public void statement(StatementEvent event) {
        statements.add(event);
    }

    /** The next statement reported; fails the test when none arrives in time. */
    StatementEvent nextStatement() throws InterruptedException {
        StatementEvent event = statements.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no statement within " + TIMEOUT);
        }
        return event;
    }

    /** Statements reported and not taken yet. */
    List<StatementEvent> pendingStatements() {
        List<StatementEvent> drained = new ArrayList<>();
        statements.drainTo(drained);
        return drained;
    }

    @Override
    public void failed(Throwable cause) {
        failureCalls.incrementAndGet();
        failure.complete(cause);
    }

    /** The next event; fails the test when none arrives in time. */
    RowsEvent next() throws InterruptedException {
        RowsEvent event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + TIMEOUT + (failure.isDone() ? "; source failed: "
                    + failure.getNow(null) : ""));
        }
        return event;
    }

    List<RowsEvent> next(int count) throws InterruptedException {
        List<RowsEvent> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(next());
        }
        return taken;
    }

    /** Events delivered and not taken yet. */
    List<RowsEvent> pending() {
        List<RowsEvent> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    Throwable awaitFailure() throws Exception {
        return failure.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean hasFailed() {
        return failure.isDone();
    }

    int failureCalls() {
        return failureCalls.get();
    }
}
