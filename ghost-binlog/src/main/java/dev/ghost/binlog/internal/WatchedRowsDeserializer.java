package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.MissingTableMapEventException;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.ghost.spi.RowsEvent;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

// Reads the rows events of watched tables into exact cells; other tables' events are skipped before any row is read.
final class WatchedRowsDeserializer extends AbstractRowsEventDataDeserializer<EventData> {

    private final Map<Long, TableMapEventData> tableMapsById;
    private final LongPredicate watched;
    private final RowsEvent.Kind kind;
    private final boolean hasExtraData;

    /**
     * @param tableMapsById the TABLE_MAP events the client has read, by table id (the map the client fills)
     * @param watched       whether rows of a table id must be decoded
     * @param kind          the kind of rows event this deserializer reads
     * @param hasExtraData  true for the version 2 events (MySQL 5.6+), whose header has an extra-data field
     */
    WatchedRowsDeserializer(Map<Long, TableMapEventData> tableMapsById, LongPredicate watched, RowsEvent.Kind kind,
                            boolean hasExtraData) {
        super(tableMapsById);
        this.tableMapsById = tableMapsById;
        this.watched = watched;
        this.kind = kind;
        this.hasExtraData = hasExtraData;
    }

    @Override
    public EventData deserialize(ByteArrayInputStream in) throws IOException {
        long tableId = in.readLong(6);
        in.skip(2); // flags
        if (hasExtraData) {
            int extraDataLength = in.readInteger(2); // counts its own two bytes
            in.skip(extraDataLength - 2);
        }
        if (!watched.test(tableId)) {
            if (!tableMapsById.containsKey(tableId)) {
                // Without its TABLE_MAP nobody can tell whether these rows belong to a watched table: never guess.
                throw new MissingTableMapEventException("rows event of table id " + tableId + " without its TABLE_MAP: "
                        + "the stream started inside a statement; start it where a transaction starts");
            }
            return SkippedRows.INSTANCE; // the event deserializer skips the rest of the event unread
        }
        int columnCount = in.readPackedInteger();
        BitSet columns = requireEveryColumn(in.readBitSet(columnCount, true), columnCount, tableId);
        BitSet afterColumns = kind == RowsEvent.Kind.UPDATE
                ? requireEveryColumn(in.readBitSet(columnCount, true), columnCount, tableId) : columns;
        List<Serializable[]> before = new ArrayList<>(kind == RowsEvent.Kind.INSERT ? 0 : 4);
        List<Serializable[]> after = new ArrayList<>(kind == RowsEvent.Kind.DELETE ? 0 : 4);
        while (in.available() > 0) {
            if (kind != RowsEvent.Kind.INSERT) {
                before.add(deserializeRow(tableId, columns, in));
            }
            if (kind != RowsEvent.Kind.DELETE) {
                after.add(deserializeRow(tableId, afterColumns, in));
            }
        }
        return new DecodedRows(tableId, kind, before, after);
    }

    /** Replay writes whole rows: a row image without every column (binlog_row_image MINIMAL or NOBLOB) is useless. */
    private static BitSet requireEveryColumn(BitSet present, int columnCount, long tableId) throws IOException {
        if (present.nextClearBit(0) < columnCount) {
            throw new IOException("rows event of table id " + tableId + " lacks columns " + present + " of "
                    + columnCount + ": binlog_row_image must be FULL");
        }
        return present;
    }

    /**
     * Cells come out as: Long for every integer width (signed, as stored), BIT and YEAR; Float, Double; BigDecimal
     * with the column's scale; DATE, TIME, DATETIME and TIMESTAMP (UTC) as literals, zero dates and negative times
     * kept; Integer ENUM index and Long SET bitmask; byte[] for strings, blobs and geometry; MySQL's binary JSON as
     * JSON text. The client's own cell methods lose data here (UTF-8 strings, UTC millisecond dates, NULL zero
     * dates, wrong negative times, YEAR 0000 as 1900), so every cell type is decoded here.
     */
    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
            throws IOException {
        return switch (type) {
            case TINY -> (long) (byte) in.read();
            case SHORT -> (long) (short) in.readInteger(2);
            case INT24 -> (long) ((in.readInteger(3) << 8) >> 8);
            case LONG -> (long) in.readInteger(4);
            case LONGLONG -> in.readLong(8);
            case FLOAT -> Float.intBitsToFloat(in.readInteger(4));
            case DOUBLE -> Double.longBitsToDouble(in.readLong(8));
            case NEWDECIMAL -> decimal(meta, in);
            case BIT -> bigEndian(in, bitBytes(meta));
            case YEAR -> year(in.read());
            case DATE -> TemporalLiterals.date(in.readInteger(3));
            case TIME -> TemporalLiterals.timeV1((in.readInteger(3) << 8) >> 8);
            case TIME_V2 -> TemporalLiterals.timeV2(bigEndian(in, 3),
                    bigEndian(in, TemporalLiterals.fractionBytes(meta)), meta);
            case DATETIME -> TemporalLiterals.datetimeV1(in.readLong(8));
            case DATETIME_V2 -> TemporalLiterals.datetimeV2(bigEndian(in, 5),
                    bigEndian(in, TemporalLiterals.fractionBytes(meta)), meta);
            case TIMESTAMP -> TemporalLiterals.timestamp(in.readLong(4), 0, 0);
            case TIMESTAMP_V2 -> TemporalLiterals.timestamp(bigEndian(in, 4),
                    bigEndian(in, TemporalLiterals.fractionBytes(meta)), meta);
            case STRING -> in.read(length < 256 ? in.readInteger(1) : in.readInteger(2)); // CHAR, BINARY
            case VARCHAR, VAR_STRING -> in.read(meta < 256 ? in.readInteger(1) : in.readInteger(2));
            case BLOB, GEOMETRY -> in.read(in.readInteger(meta));
            case ENUM -> in.readInteger(length);
            case SET -> in.readLong(length);
            case JSON -> jsonText(in.read(in.readInteger(meta)));
            default -> throw new IOException("unsupported binlog column type " + type);
        };
    }

    /** DECIMAL(p,s): meta holds p in its low byte and s in its high byte. */
    private static BigDecimal decimal(int meta, ByteArrayInputStream in) throws IOException {
        int precision = meta & 0xFF;
        int scale = meta >> 8;
        return DecimalBinary.decode(precision, scale, in.read(DecimalBinary.length(precision, scale)));
    }

    /** BIT(n): meta holds n / 8 in its high byte and n % 8 in its low byte; the value is big-endian. */
    private static int bitBytes(int meta) {
        int bits = (meta >> 8) * 8 + (meta & 0xFF);
        return (bits + 7) / 8;
    }

    /** YEAR: one byte, 0 for 0000, else the year minus 1900. */
    private static long year(int stored) {
        return stored == 0 ? 0L : 1900L + stored;
    }

    /**
     * MySQL's binary JSON as JSON text. An empty value is the JSON null literal (what the server reads for a
     * NOT NULL JSON column that was filled with nothing); a value that does not start with a type byte is text already.
     */
    private static String jsonText(byte[] binary) throws IOException {
        if (binary.length == 0) {
            return "null";
        }
        if (binary[0] > 0x0f) {
            return new String(binary, StandardCharsets.UTF_8);
        }
        return JsonBinary.parseAsString(binary);
    }

    private static long bigEndian(ByteArrayInputStream in, int bytes) throws IOException {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | in.read();
        }
        return value;
    }
}
