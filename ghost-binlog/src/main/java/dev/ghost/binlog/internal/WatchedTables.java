package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

// Knows which binlog table ids are the watched tables (learnt from TABLE_MAP events) and how to decode each.
final class WatchedTables {

    /** Schema name, then table name, as the client decodes them from a TABLE_MAP. */
    private final Map<String, Map<String, TableSchema>> schemasByBinlogName = new HashMap<>();
    /**
     * Only the reader thread touches this map; a reconnect's new reader starts after the old one released the
     * client's connect lock, which orders their accesses.
     */
    private final Map<Long, TableDecoder> decodersByTableId = new HashMap<>();
    /** The id each watched table had last, so that a new id replaces the old one: one decoder per watched table. */
    private final Map<TableName, Long> tableIdsByTable = new HashMap<>();

    WatchedTables(List<TableSchema> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no table to watch");
        }
        for (TableSchema table : tables) {
            TableName name = table.name();
            schemasByBinlogName.computeIfAbsent(asClientDecodes(name.schema()), s -> new HashMap<>())
                    .put(asClientDecodes(name.name()), table);
        }
    }

    /**
     * The client turns the UTF-8 names of a TABLE_MAP into Strings with the JVM's default charset; compare with
     * names that went through the same decoding, so that the match stays exact whatever that charset is. The text of
     * a query event goes through the same decoding.
     */
    static String asClientDecodes(String name) {
        Charset jvmDefault = Charset.defaultCharset();
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        String decoded = new String(utf8, jvmDefault);
        if (!Arrays.equals(decoded.getBytes(jvmDefault), utf8)) {
            throw new IllegalStateException("the name " + name + " cannot be matched exactly in the binlog while the "
                    + "JVM's default charset is " + jvmDefault + "; run the JVM with -Dfile.encoding=UTF-8");
        }
        return decoded;
    }

    /**
     * Learns the table id of a TABLE_MAP. A watched table gets a decoder (checked against the schema once per new
     * layout); any other table id is forgotten, in case the server reused it.
     *
     * @throws TableChangedException when a watched table's columns are not those of its schema
     */
    void onTableMap(TableMapEventData tableMap) {
        Map<String, TableSchema> tablesOfSchema = schemasByBinlogName.get(tableMap.getDatabase());
        TableSchema schema = tablesOfSchema == null ? null : tablesOfSchema.get(tableMap.getTable());
        long tableId = tableMap.getTableId();
        if (schema == null) {
            decodersByTableId.remove(tableId);
            return;
        }
        TableDecoder known = decodersByTableId.get(tableId);
        if (known == null || !known.fits(tableMap)) {
            decodersByTableId.put(tableId, TableDecoder.create(schema, tableMap));
        }
        // The server gives a table a new id when it reopens it (table cache eviction, FLUSH TABLES); the rows
        // events after this TABLE_MAP use the new one, so the old id's decoder is dropped.
        Long previousId = tableIdsByTable.put(schema.name(), tableId);
        if (previousId != null && previousId != tableId) {
            TableDecoder previous = decodersByTableId.get(previousId);
            if (previous != null && previous.table().equals(schema.name())) {
                decodersByTableId.remove(previousId);
            }
        }
    }

    /** How many table ids have a decoder; at most the number of watched tables. */
    int decoderCount() {
        return decodersByTableId.size();
    }

    boolean isWatched(long tableId) {
        return decodersByTableId.containsKey(tableId);
    }

    /** The decoder of a watched table id; null for others. */
    TableDecoder decoder(long tableId) {
        return decodersByTableId.get(tableId);
    }
}
