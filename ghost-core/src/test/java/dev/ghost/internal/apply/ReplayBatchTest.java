package dev.ghost.internal.apply;

import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayBatchTest {

    private static final TableName T = new TableName("s", "t");
    private static final BinlogPosition P = new BinlogPosition("binlog.000001", 4, null);
    private static final ColumnSchema ID = new ColumnSchema("id", 0, "int", "int(11)", false, null, false, 0);
    private static final ColumnSchema NAME = new ColumnSchema("name", 1, "varchar", "varchar(10)", true, "utf8mb4",
            false, 0);

    private static Object[] row(long id, String name) {
        return new Object[] {id, name == null ? null : name.getBytes()};
    }

    private static RowsEvent insert(Object[]... rows) {
        return new RowsEvent(T, RowsEvent.Kind.INSERT, List.of(), List.of(rows), P);
    }

    private static RowsEvent delete(Object[]... rows) {
        return new RowsEvent(T, RowsEvent.Kind.DELETE, List.of(rows), List.of(), P);
    }

    private static RowsEvent update(Object[] before, Object[] after) {
        return new RowsEvent(T, RowsEvent.Kind.UPDATE, List.<Object[]>of(before), List.<Object[]>of(after), P);
    }

    @Test
    void lastImagePerKeyWinsAndDeletesComeFirst() {
        ReplayBatch batch = new ReplayBatch(List.of(ID), false, false);
        batch.add(insert(row(1, "a"), row(2, "b")));
        batch.add(update(row(1, "a"), row(1, "a2")));
        batch.add(delete(row(2, "b")));
        batch.add(insert(row(3, "c")));

        List<ReplayBatch.Group> groups = batch.groups();
        assertThat(groups).extracting(ReplayBatch.Group::kind)
                .containsExactly(ReplayBatch.Kind.DELETE, ReplayBatch.Kind.REPLACE);
        assertThat(groups.get(0).rows()).extracting(r -> r[0]).containsExactly(2L);
        assertThat(groups.get(1).rows()).extracting(r -> r[0]).containsExactly(1L, 3L);
        assertThat(new String((byte[]) groups.get(1).rows().get(0)[1])).isEqualTo("a2");
        assertThat(batch.rows()).isEqualTo(5);
    }

    @Test
    void updateThatMovesTheKeyDeletesTheOldKey() {
        ReplayBatch batch = new ReplayBatch(List.of(ID), false, false);
        batch.add(update(row(1, "a"), row(7, "a")));
        List<ReplayBatch.Group> groups = batch.groups();
        assertThat(groups.get(0).kind()).isEqualTo(ReplayBatch.Kind.DELETE);
        assertThat(groups.get(0).rows()).extracting(r -> r[0]).containsExactly(1L);
        assertThat(groups.get(1).rows()).extracting(r -> r[0]).containsExactly(7L);
    }

    @Test
    void reinsertAfterDeleteEndsPresent() {
        ReplayBatch batch = new ReplayBatch(List.of(ID), false, false);
        batch.add(delete(row(1, "a")));
        batch.add(insert(row(1, "b")));
        List<ReplayBatch.Group> groups = batch.groups();
        assertThat(groups).extracting(ReplayBatch.Group::kind)
                .containsExactly(ReplayBatch.Kind.DELETE, ReplayBatch.Kind.REPLACE);
        assertThat(new String((byte[]) groups.get(1).rows().get(0)[1])).isEqualTo("b");
    }

    @Test
    void underAWiderGhostKeyEveryUpdateDeletesThePreviousVersionFirst() {
        ReplayBatch batch = new ReplayBatch(List.of(ID), false, true);
        batch.add(update(row(1, "a"), row(1, "b")));
        batch.add(insert(row(2, "c")));
        List<ReplayBatch.Group> groups = batch.groups();
        assertThat(groups).extracting(ReplayBatch.Group::kind)
                .containsExactly(ReplayBatch.Kind.DELETE, ReplayBatch.Kind.REPLACE);
        assertThat(groups.get(0).rows()).extracting(r -> r[0]).containsExactly(1L);
        assertThat(groups.get(1).rows()).extracting(r -> r[0]).containsExactly(1L, 2L);
    }

    @Test
    void textKeysKeepBinlogOrderAndMergeOnlyNeighbours() {
        ReplayBatch batch = new ReplayBatch(List.of(NAME), true, false);
        batch.add(insert(row(1, "a")));
        batch.add(insert(row(2, "b")));
        batch.add(delete(row(1, "A")));
        batch.add(insert(row(3, "c")));
        assertThat(batch.groups()).extracting(ReplayBatch.Group::kind).containsExactly(
                ReplayBatch.Kind.REPLACE, ReplayBatch.Kind.DELETE, ReplayBatch.Kind.REPLACE);
        assertThat(batch.groups().get(0).rows()).hasSize(2);
    }

    @Test
    void byteArrayKeysCompareByContent() {
        ColumnSchema bin = new ColumnSchema("k", 0, "varbinary", "varbinary(4)", false, null, false, 0);
        ReplayBatch batch = new ReplayBatch(List.of(bin), false, false);
        batch.add(insert(new Object[] {new byte[] {1, 2}}));
        batch.add(delete(new Object[] {new byte[] {1, 2}}));
        assertThat(batch.groups()).singleElement().extracting(ReplayBatch.Group::kind)
                .isEqualTo(ReplayBatch.Kind.DELETE);
    }
}
