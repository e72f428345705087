package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.LRUCache;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import dev.ghost.spi.RowsEvent;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongPredicate;

// Builds the client's EventDeserializer: only the events the stream needs are decoded, every other one is skipped.
final class EventDeserializers {

    private EventDeserializers() {
    }

    /**
     * Registers deserializers for FORMAT_DESCRIPTION (checksums), ROTATE (file names), TABLE_MAP (table ids), GTIDs,
     * QUERY (statements that may touch a watched table) and the six rows events; the rest (XIDs, annotations, GTID
     * lists, heartbeats) are skipped without being read.
     */
    @SuppressWarnings("rawtypes") // the client's constructor takes a map of raw EventDataDeserializers
    static EventDeserializer create(LongPredicate watchedTableIds) {
        // The client's own bounded map; a TABLE_MAP always comes right before its rows, so eviction never bites.
        Map<Long, TableMapEventData> tableMapsById = new LRUCache<>(100, 0.75f, 10_000);
        Map<EventType, EventDataDeserializer> byType = new EnumMap<>(EventType.class);
        // Exactly the client's classes for these three: it wraps any other class into a slow double decoding.
        byType.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        byType.put(EventType.ROTATE, new RotateEventDataDeserializer());
        byType.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
        byType.put(EventType.WRITE_ROWS, rows(tableMapsById, watchedTableIds, RowsEvent.Kind.INSERT, false));
        byType.put(EventType.UPDATE_ROWS, rows(tableMapsById, watchedTableIds, RowsEvent.Kind.UPDATE, false));
        byType.put(EventType.DELETE_ROWS, rows(tableMapsById, watchedTableIds, RowsEvent.Kind.DELETE, false));
        byType.put(EventType.EXT_WRITE_ROWS, rows(tableMapsById, watchedTableIds, RowsEvent.Kind.INSERT, true));
        byType.put(EventType.EXT_UPDATE_ROWS, rows(tableMapsById, watchedTableIds, RowsEvent.Kind.UPDATE, true));
        byType.put(EventType.EXT_DELETE_ROWS, rows(tableMapsById, watchedTableIds, RowsEvent.Kind.DELETE, true));
        // GTIDs, to know which transactions the stream delivered.
        byType.put(EventType.GTID, new GtidEventDataDeserializer());
        byType.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
        // Statements: DDL and statement-format DML on a watched table cannot be replayed; the sink must see them.
        byType.put(EventType.QUERY, new QueryEventDataDeserializer());
        byType.put(EventType.TRANSACTION_PAYLOAD, new UnreadablePayloadDeserializer());
        return new EventDeserializer(new CodedEventHeaderDeserializer(), new NullEventDataDeserializer(), byType,
                tableMapsById);
    }

    private static WatchedRowsDeserializer rows(Map<Long, TableMapEventData> tableMapsById, LongPredicate watched,
                                                RowsEvent.Kind kind, boolean version2) {
        return new WatchedRowsDeserializer(tableMapsById, watched, kind, version2);
    }
}
