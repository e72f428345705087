package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.StatementEvent;
import dev.ghost.spi.TableName;

import java.util.List;

// Routes each event the client read to the one place that handles it, and delivers watched rows to the sink, with the
// statements that name a watched table.
final class EventDispatcher implements BinaryLogClient.EventListener {

    /** MariaDB's compressed query event (log_bin_compress=ON), unknown to the client. */
    private static final int COMPRESSED_QUERY_CODE = 165;
    /** MariaDB's compressed rows events (log_bin_compress=ON), unknown to the client. */
    private static final int FIRST_COMPRESSED_ROWS_CODE = 166;
    private static final int LAST_COMPRESSED_ROWS_CODE = 171;

    private final WatchedTables tables;
    private final StatementTables statements;
    private final EventSink sink;
    private final FailureReporter failures;
    private final StopSignal stop;
    private final StartupGate gate;
    private final ReconnectBudget reconnects;
    private final StreamCursor cursor = new StreamCursor();
    /** Null when the stream has no GTIDs to track. */
    private final GtidTracker gtids;
    /** Told once the stream has passed a transaction start with a known end; null when not starting by GTID. */
    private final Runnable onPositioned;
    private boolean transactionSeen;
    private boolean positioned;
    /** The thread inside sink.accept(), so that close() can interrupt a sink that pushes back. */
    private volatile Thread deliveringThread;

    EventDispatcher(WatchedTables tables, StatementTables statements, EventSink sink, FailureReporter failures,
                    StopSignal stop, StartupGate gate, ReconnectBudget reconnects, GtidTracker gtids,
                    Runnable onPositioned) {
        this.gtids = gtids;
        this.onPositioned = onPositioned;
        this.tables = tables;
        this.statements = statements;
        this.sink = sink;
        this.failures = failures;
        this.stop = stop;
        this.gate = gate;
        this.reconnects = reconnects;
    }

    /** Called by the client on its reader thread, one event at a time. The client swallows exceptions: none leave. */
    @Override
    public void onEvent(Event event) {
        if (stop.isSet()) {
            return;
        }
        gate.open();
        reconnects.eventArrived();
        EventHeader header = event.getHeader();
        try {
            switch (header.getEventType()) {
                case ROTATE -> {
                    RotateEventData rotate = (RotateEventData) event.getData();
                    cursor.onRotate(rotate.getBinlogFilename(), rotate.getBinlogPosition());
                }
                case TABLE_MAP -> tables.onTableMap((TableMapEventData) event.getData());
                case WRITE_ROWS, UPDATE_ROWS, DELETE_ROWS, EXT_WRITE_ROWS, EXT_UPDATE_ROWS, EXT_DELETE_ROWS -> {
                    deliver(event.getData(), header);
                    cursor.onEventEnd(nextPosition(header));
                }
                case TRANSACTION_PAYLOAD -> throw new UnsupportedOperationException("the server compresses "
                        + "transactions in the binlog (binlog_transaction_compression=ON), which is not supported yet");
                case PARTIAL_UPDATE_ROWS_EVENT -> throw new UnsupportedOperationException("the server logs partial "
                        + "JSON updates (binlog_row_value_options=PARTIAL_JSON); replay needs full row images");
                case QUERY -> {
                    deliverStatement(event.getData(), header);
                    cursor.onEventEnd(nextPosition(header));
                }
                case GTID -> {
                    onTransactionStart(((GtidEventData) event.getData()).getMySqlGtid());
                    cursor.onEventEnd(nextPosition(header));
                }
                case MARIADB_GTID -> {
                    MariadbGtidEventData gtid = (MariadbGtidEventData) event.getData();
                    onTransactionStart(new MariadbGtidSet.MariaGtid(gtid.getDomainId(), header.getServerId(),
                            gtid.getSequence()));
                    cursor.onEventEnd(nextPosition(header));
                }
                case UNKNOWN -> {
                    rejectCompressed(header);
                    cursor.onEventEnd(nextPosition(header));
                }
                default -> cursor.onEventEnd(nextPosition(header)); // XID, heartbeat, ...
            }
            notePositioned(header);
        } catch (InterruptedException e) {
            if (!stop.isClosed()) {
                failures.report(new IllegalStateException("interrupted while delivering binlog events", e));
            }
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.report(e);
        }
    }

    private void onTransactionStart(Object gtid) {
        transactionSeen = true;
        if (gtids != null) {
            gtids.onTransactionStart(gtid);
        }
    }

    /** A stream started by GTID resumes by file and offset once it has passed a transaction start with an end. */
    private void notePositioned(EventHeader header) {
        if (!positioned && onPositioned != null && transactionSeen && nextPosition(header) > 0
                && header.getEventType() != com.github.shyiko.mysql.binlog.event.EventType.TABLE_MAP) {
            positioned = true;
            onPositioned.run();
        }
    }

    private void deliver(EventData data, EventHeader header) throws InterruptedException {
        if (!(data instanceof DecodedRows rows)) {
            return; // SkippedRows: another table
        }
        if (!cursor.isNew()) {
            return; // a reconnect re-sent it
        }
        TableDecoder decoder = tables.decoder(rows.tableId());
        BinlogPosition position = cursor.positionAfter(nextPosition(header),
                gtids == null ? null : gtids.completed());
        RowsEvent event = new RowsEvent(decoder.table(), rows.kind(), decoder.decodeAll(rows.before()),
                decoder.decodeAll(rows.after()), position);
        deliveringThread = Thread.currentThread();
        try {
            if (stop.isSet()) {
                return; // close() may have looked for a delivering thread before we set it
            }
            sink.accept(event);
        } finally {
            deliveringThread = null;
        }
    }

    /**
     * A change logged as SQL text (DDL, or DML under binlog_format=STATEMENT or MIXED) that names a watched table:
     * the sink decides what it means. A reconnect may send it again; the sink sees it twice, which changes nothing
     * for a statement that stops the stream and nothing for one it accepts.
     */
    private void deliverStatement(EventData data, EventHeader header) throws InterruptedException {
        // A client that tracks GTIDs itself may wrap the data it decoded for its own use.
        if (!(EventDeserializer.EventDataWrapper.internal(data) instanceof QueryEventData query)) {
            throw new IllegalStateException("a query event at " + cursor.positionAfter(nextPosition(header))
                    + " could not be read; its statement may touch a watched table");
        }
        List<TableName> named = statements.named(query.getDatabase(), query.getSql());
        if (named.isEmpty()) {
            return;
        }
        BinlogPosition position = cursor.positionAfter(nextPosition(header),
                gtids == null ? null : gtids.completed());
        String database = query.getDatabase() == null || query.getDatabase().isEmpty() ? null : query.getDatabase();
        StatementEvent event = new StatementEvent(named, query.getSql(), database, position);
        deliveringThread = Thread.currentThread();
        try {
            if (stop.isSet()) {
                return;
            }
            sink.statement(event);
        } finally {
            deliveringThread = null;
        }
    }

    private static long nextPosition(EventHeader header) {
        return header instanceof EventHeaderV4 v4 ? v4.getNextPosition() : 0;
    }

    private static void rejectCompressed(EventHeader header) {
        if (header instanceof CodedEventHeader coded && coded.typeCode() == COMPRESSED_QUERY_CODE) {
            // Its statement could touch a watched table, and the client cannot read it: never skip it unread.
            throw new UnsupportedOperationException("the server compresses query events (MariaDB log_bin_compress=ON, "
                    + "event type " + coded.typeCode() + "), which the binlog client cannot read");
        }
        if (header instanceof CodedEventHeader coded && coded.typeCode() >= FIRST_COMPRESSED_ROWS_CODE
                && coded.typeCode() <= LAST_COMPRESSED_ROWS_CODE) {
            throw new UnsupportedOperationException("the server compresses rows events (MariaDB log_bin_compress=ON, "
                    + "event type " + coded.typeCode() + "), which the binlog client cannot read");
        }
    }

    /** Only for tests: read from another thread, the count may be slightly stale. */
    int watchedTableIds() {
        return tables.decoderCount();
    }

    /** Wakes the reader thread if it waits in sink.accept(); used by close(). */
    void interruptDelivery() {
        Thread thread = deliveringThread;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
