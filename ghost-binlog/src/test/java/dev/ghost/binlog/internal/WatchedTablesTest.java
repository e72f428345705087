package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatchedTablesTest {

    private static final TableSchema ORDERS = new TableSchema(new TableName("shop", "Orders"), List.of(
            new ColumnSchema("id", 0, "bigint", "bigint(20) unsigned", false, null, false, 0),
            new ColumnSchema("at", 1, "datetime", "datetime(3)", true, null, false, 3)));

    private static TableMapEventData tableMap(long id, String schema, String table, int[] types, int[] metadata) {
        TableMapEventData map = new TableMapEventData();
        map.setTableId(id);
        map.setDatabase(schema);
        map.setTable(table);
        byte[] typeBytes = new byte[types.length];
        for (int i = 0; i < types.length; i++) {
            typeBytes[i] = (byte) types[i];
        }
        map.setColumnTypes(typeBytes);
        map.setColumnMetadata(metadata);
        return map;
    }

    private static TableMapEventData orders(long id, String table) {
        return tableMap(id, "shop", table, new int[] {ColumnType.LONGLONG.getCode(), ColumnType.DATETIME_V2.getCode()},
                new int[] {0, 3});
    }

    @Test
    void keepsOneDecoderPerWatchedTableHoweverOftenItsIdChanges() {
        WatchedTables tables = new WatchedTables(List.of(ORDERS));
        for (long id = 1; id <= 10_000; id++) {
            tables.onTableMap(orders(id, "Orders"));
            tables.onTableMap(orders(100_000 + id, "unwatched"));
        }
        assertThat(tables.decoderCount()).isEqualTo(1);
        assertThat(tables.isWatched(10_000)).isTrue();
        assertThat(tables.isWatched(9_999)).isFalse();
    }

    @Test
    void matchesNamesExactlyAndForgetsReusedIds() {
        WatchedTables tables = new WatchedTables(List.of(ORDERS));
        tables.onTableMap(orders(7, "orders"));
        tables.onTableMap(orders(8, "Orders"));
        assertThat(tables.isWatched(7)).isFalse();
        assertThat(tables.isWatched(8)).isTrue();
        assertThat(tables.decoder(8).table()).isEqualTo(ORDERS.name());
        tables.onTableMap(tableMap(8, "shop", "other", new int[] {ColumnType.LONG.getCode()}, new int[] {0}));
        assertThat(tables.isWatched(8)).isFalse();
    }

    @Test
    void reusesTheDecoderWhileTheLayoutStaysTheSame() {
        WatchedTables tables = new WatchedTables(List.of(ORDERS));
        tables.onTableMap(orders(8, "Orders"));
        TableDecoder first = tables.decoder(8);
        tables.onTableMap(orders(8, "Orders"));
        assertThat(tables.decoder(8)).isSameAs(first);
    }

    @Test
    void aTableWithOtherColumnsIsAChangedTable() {
        WatchedTables tables = new WatchedTables(List.of(ORDERS));
        assertThatThrownBy(() -> tables.onTableMap(tableMap(9, "shop", "Orders",
                new int[] {ColumnType.LONGLONG.getCode()}, new int[] {0})))
                .isInstanceOf(TableChangedException.class).hasMessageContaining("1 columns, the schema 2");
        assertThatThrownBy(() -> tables.onTableMap(tableMap(9, "shop", "Orders",
                new int[] {ColumnType.LONGLONG.getCode(), ColumnType.DATETIME_V2.getCode()}, new int[] {0, 6})))
                .isInstanceOf(TableChangedException.class)
                .hasMessageContaining("at: the schema says 3 fractional digits, the binlog 6");
        assertThat(tables.isWatched(9)).isFalse();
    }

    @Test
    void decodesRowsWithTheColumnsConverters() {
        WatchedTables tables = new WatchedTables(List.of(ORDERS));
        tables.onTableMap(orders(8, "Orders"));
        Object[] row = tables.decoder(8).decode(new java.io.Serializable[] {-1L, "2024-01-01 00:00:00.000"});
        assertThat(row).containsExactly(new java.math.BigInteger("18446744073709551615"), "2024-01-01 00:00:00.000");
        assertThat(tables.decoder(8).decode(new java.io.Serializable[] {null, null})).containsExactly(null, null);
    }
}
