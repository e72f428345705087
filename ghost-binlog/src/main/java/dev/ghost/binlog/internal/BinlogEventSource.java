package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import dev.ghost.BinlogStreamException;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;
import dev.ghost.spi.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

// The default EventSource: reads the binlog as a replica does and delivers the watched tables' row changes, and the
// statements that name them.
public final class BinlogEventSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogEventSource.class);

    private final StreamSettings settings;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StopSignal stop = new StopSignal();
    private volatile BinaryLogClient client;
    private volatile EventDispatcher dispatcher;

    public BinlogEventSource(StreamSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Reads the server's current position when the context gives none, connects there, and returns once the server
     * has sent the stream's first event: the dump is running and the reader thread reads it.
     *
     * @throws IllegalStateException when the stream cannot be established within the context's connect timeout
     */
    @Override
    public BinlogPosition start(EventSourceContext context, EventSink sink) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(sink, "sink");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an event source starts once; create a new one");
        }
        if (closed.get()) {
            throw new IllegalStateException("this event source is closed");
        }
        if (context.startAt() != null && context.startAt().file() == null && !hasGtids(context.startAt())) {
            throw new IllegalArgumentException("a start position needs a binlog file or a GTID set: "
                    + context.startAt());
        }
        JulToSlf4jHandler.install();
        Duration timeout = context.connectTimeout() == null || context.connectTimeout().isNegative()
                || context.connectTimeout().isZero() ? settings.connectTimeout() : context.connectTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String server = context.host() + ":" + context.port();
        WatchedTables tables = new WatchedTables(context.tables());
        BinlogPosition startAt = context.startAt() != null ? context.startAt()
                : ServerPositionReader.currentPosition(context.host(), context.port(), context.user(),
                context.password(), context.tls(), timeout);

        StartupGate gate = new StartupGate();
        FailureReporter failures = new FailureReporter(sink, gate, stop, this::disconnect);
        ReconnectBudget reconnects = new ReconnectBudget(settings.reconnectAttempts(), server, stop, failures);
        // A given GTID set is where the stream starts; the server's own one only seeds the positions' GTIDs.
        boolean startByGtid = context.startAt() != null && hasGtids(context.startAt());
        GtidTracker gtids = GtidTracker.startingAt(startAt.gtidSet());
        BinaryLogClient binlogClient = BinlogClients.create(context, startAt, settings,
                EventDeserializers.create(tables::isWatched), reconnects, startByGtid ? gtids : null);
        Runnable onPositioned = binlogClient instanceof GtidStartClient byGtid ? byGtid::positioned : null;
        EventDispatcher events = new EventDispatcher(tables, new StatementTables(context.statementTables()), sink,
                failures, stop, gate, reconnects, gtids, onPositioned);
        binlogClient.registerEventListener(events);
        binlogClient.registerLifecycleListener(new ConnectionWatcher(failures, gate, stop, server, context.user(),
                new QuickReconnect(stop, QuickReconnect.spacing(settings), settings.keepAlive(), timeout,
                        reconnects)));
        this.dispatcher = events;
        this.client = binlogClient;
        try {
            binlogClient.connect(remainingMillis(deadline));
            gate.await(Duration.ofMillis(remainingMillis(deadline)));
        } catch (Exception e) {
            stop.fail();
            disconnect();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable classified = BinlogFailures.classify(cause, server, context.user(), startAt);
            if (classified instanceof BinlogStreamException typed) {
                throw typed;
            }
            throw new IllegalStateException("could not start reading the binlog of " + server + " at " + startAt
                    + ": " + cause, cause);
        }
        LOG.info("reading the binlog of {} from {} for {}", server, startAt,
                context.tables().stream().map(TableSchema::name).toList());
        return startAt;
    }

    private static boolean hasGtids(BinlogPosition position) {
        return position.gtidSet() != null && !position.gtidSet().isBlank();
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    /** Stops the stream: a sink blocked in accept() is interrupted, the connection and its threads end. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop.close();
        EventDispatcher events = dispatcher;
        if (events != null) {
            events.interruptDelivery();
        }
        disconnect();
    }

    private void disconnect() {
        BinaryLogClient binlogClient = client;
        if (binlogClient == null) {
            return;
        }
        try {
            binlogClient.disconnect();
        } catch (IOException e) {
            LOG.debug("closing the binlog connection failed", e);
        }
    }

    /** How many table ids the source keeps a decoder for; for tests of its memory. */
    int watchedTableIds() {
        EventDispatcher events = dispatcher;
        return events == null ? 0 : events.watchedTableIds();
    }

    /** The server's id of the binlog dump connection; for tests that cut it. */
    long connectionId() {
        BinaryLogClient binlogClient = client;
        return binlogClient == null ? -1 : binlogClient.getConnectionId();
    }
}
