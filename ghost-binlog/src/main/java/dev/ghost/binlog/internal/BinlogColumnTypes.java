package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import dev.ghost.spi.ColumnSchema;

import java.util.EnumSet;
import java.util.Set;

// Checks that the type a TABLE_MAP gives a column is the type the schema says it has, so a changed table is caught.
final class BinlogColumnTypes {

    private static final int STRING = ColumnType.STRING.getCode();

    private BinlogColumnTypes() {
    }

    /**
     * The type of the cell as stored: CHAR, BINARY, ENUM and SET all travel as STRING with their real type in the
     * high byte of the metadata (the same rule the client applies when it reads rows).
     */
    static ColumnType realType(int typeCode, int metadata) {
        if (typeCode == STRING && metadata >= 256) {
            int realCode = metadata >> 8;
            if ((realCode & 0x30) != 0x30) {
                return ColumnType.STRING; // a long CHAR: the length's high bits are folded into the type byte
            }
            if (realCode == ColumnType.ENUM.getCode() || realCode == ColumnType.SET.getCode()) {
                return ColumnType.byCode(realCode);
            }
        }
        return ColumnType.byCode(typeCode);
    }

    /**
     * Why the binlog's view of a column does not fit the schema, or null when it does.
     *
     * @param typeCode the column's type code in the TABLE_MAP
     * @param metadata its metadata (fractional digits, DECIMAL precision and scale, ...)
     */
    static String mismatch(ColumnSchema column, int typeCode, int metadata) {
        ColumnType binlogType = realType(typeCode, metadata);
        if (binlogType == null) {
            return "unknown binlog type code " + typeCode;
        }
        Set<ColumnType> expected = expectedTypes(column.dataType());
        if (expected != null && !expected.contains(binlogType)) {
            return "the schema says " + column.columnType() + " but the binlog has " + binlogType;
        }
        return switch (binlogType) {
            case TIME_V2, DATETIME_V2, TIMESTAMP_V2 -> metadata == column.fractionDigits() ? null
                    : "the schema says " + column.fractionDigits() + " fractional digits, the binlog " + metadata;
            case TIME, DATETIME, TIMESTAMP -> column.fractionDigits() == 0 ? null
                    : "fractional seconds in the pre-MySQL-5.6 temporal format are not supported; "
                    + "rebuild the table (ALTER TABLE ... FORCE) to store them in the current format";
            case NEWDECIMAL -> (metadata >> 8) == column.fractionDigits() ? null
                    : "the schema says scale " + column.fractionDigits() + ", the binlog " + (metadata >> 8);
            default -> null;
        };
    }

    /** The binlog types a column of this information_schema DATA_TYPE may have; null when any goes (unknown types). */
    private static Set<ColumnType> expectedTypes(String dataType) {
        return switch (dataType) {
            case "tinyint" -> EnumSet.of(ColumnType.TINY);
            case "smallint" -> EnumSet.of(ColumnType.SHORT);
            case "mediumint" -> EnumSet.of(ColumnType.INT24);
            case "int", "integer" -> EnumSet.of(ColumnType.LONG);
            case "bigint" -> EnumSet.of(ColumnType.LONGLONG);
            case "decimal", "numeric" -> EnumSet.of(ColumnType.NEWDECIMAL);
            case "float" -> EnumSet.of(ColumnType.FLOAT);
            case "double", "real" -> EnumSet.of(ColumnType.DOUBLE);
            case "bit" -> EnumSet.of(ColumnType.BIT);
            case "year" -> EnumSet.of(ColumnType.YEAR);
            case "date" -> EnumSet.of(ColumnType.DATE, ColumnType.NEWDATE);
            case "time" -> EnumSet.of(ColumnType.TIME, ColumnType.TIME_V2);
            case "datetime" -> EnumSet.of(ColumnType.DATETIME, ColumnType.DATETIME_V2);
            case "timestamp" -> EnumSet.of(ColumnType.TIMESTAMP, ColumnType.TIMESTAMP_V2);
            case "char", "binary" -> EnumSet.of(ColumnType.STRING);
            case "varchar", "varbinary" -> EnumSet.of(ColumnType.VARCHAR, ColumnType.VAR_STRING);
            case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob" ->
                    EnumSet.of(ColumnType.BLOB, ColumnType.TINY_BLOB, ColumnType.MEDIUM_BLOB, ColumnType.LONG_BLOB);
            case "json" -> EnumSet.of(ColumnType.JSON, ColumnType.BLOB); // MariaDB: JSON is LONGTEXT
            case "enum" -> EnumSet.of(ColumnType.ENUM);
            case "set" -> EnumSet.of(ColumnType.SET);
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> EnumSet.of(ColumnType.GEOMETRY);
            default -> null;
        };
    }
}
