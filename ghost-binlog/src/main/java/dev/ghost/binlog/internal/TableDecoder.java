package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

// Turns the raw cells of a watched table's row image into the values the RowsEvent contract promises.
final class TableDecoder {

    private final TableSchema schema;
    private final ValueConverter[] convertersByIndex;
    private final byte[] binlogTypes;
    private final int[] binlogMetadata;

    private TableDecoder(TableSchema schema, ValueConverter[] convertersByIndex, byte[] binlogTypes,
                         int[] binlogMetadata) {
        this.schema = schema;
        this.convertersByIndex = convertersByIndex;
        this.binlogTypes = binlogTypes;
        this.binlogMetadata = binlogMetadata;
    }

    /**
     * Checks the TABLE_MAP against the schema and chooses one converter per column.
     *
     * @throws TableChangedException when the binlog's table does not have the schema's columns
     */
    static TableDecoder create(TableSchema schema, TableMapEventData tableMap) {
        byte[] types = tableMap.getColumnTypes();
        int[] metadata = tableMap.getColumnMetadata();
        List<ColumnSchema> columns = schema.columns();
        if (types.length != columns.size()) {
            throw new TableChangedException("table " + schema.name() + " changed under the migration: the binlog has "
                    + types.length + " columns, the schema " + columns.size());
        }
        ValueConverter[] converters = new ValueConverter[columns.size()];
        List<String> mismatches = new ArrayList<>();
        for (ColumnSchema column : columns) {
            int index = column.index();
            if (index < 0 || index >= converters.length || converters[index] != null) {
                throw new IllegalArgumentException("column indexes of " + schema.name() + " are not 0.."
                        + (converters.length - 1) + " each once: " + column.name() + " has " + index);
            }
            String mismatch = BinlogColumnTypes.mismatch(column, types[index] & 0xFF, metadata[index]);
            if (mismatch != null) {
                mismatches.add(column.name() + ": " + mismatch);
            }
            converters[index] = ColumnConverters.forColumn(column);
        }
        if (!mismatches.isEmpty()) {
            throw new TableChangedException("table " + schema.name() + " does not match its binlog TABLE_MAP: "
                    + String.join("; ", mismatches));
        }
        return new TableDecoder(schema, converters, types.clone(), metadata.clone());
    }

    TableName table() {
        return schema.name();
    }

    /** True when this decoder was built from a TABLE_MAP with the same column types and metadata. */
    boolean fits(TableMapEventData tableMap) {
        return Arrays.equals(binlogTypes, tableMap.getColumnTypes())
                && Arrays.equals(binlogMetadata, tableMap.getColumnMetadata());
    }

    /** One contract row from one full raw row image (cell i is column index i). */
    Object[] decode(Serializable[] cells) {
        Object[] row = new Object[convertersByIndex.length];
        int index = 0;
        try {
            for (; index < row.length; index++) {
                Serializable cell = cells[index];
                row[index] = cell == null ? null : convertersByIndex[index].convert(cell);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not convert column " + columnName(index) + " of " + schema.name()
                    + ": " + e.getMessage(), e);
        }
        return row;
    }

    private String columnName(int index) {
        for (ColumnSchema column : schema.columns()) {
            if (column.index() == index) {
                return column.name();
            }
        }
        return "#" + index;
    }

    /** Converts a list of raw row images. */
    List<Object[]> decodeAll(List<Serializable[]> images) {
        List<Object[]> rows = new ArrayList<>(images.size());
        for (Serializable[] image : images) {
            rows.add(decode(image));
        }
        return rows;
    }
}
