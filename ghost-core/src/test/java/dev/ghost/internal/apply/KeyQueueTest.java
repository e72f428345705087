package dev.ghost.internal.apply;

import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay's key logic without a server: reduction of row events, deduplication, barriers, bounds, partitions. */
class KeyQueueTest {

    private static final TableName T = new TableName("s", "t");
    private static final BinlogPosition P = new BinlogPosition("binlog.000001", 4, null);
    private static final ColumnSchema ID = new ColumnSchema("id", 0, "int", "int(11)", false, null, false, 0);
    private static final ColumnSchema NAME = new ColumnSchema("name", 1, "varchar", "varchar(10)", true, "utf8mb4",
            false, 0);

    private final KeyReduction byId = new KeyReduction(List.of(ID));

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

    private static ReplayKey key(Object... values) {
        return new ReplayKey(values);
    }

    private record Change(ReplayKey key, KeyReduction.Op op, int rows) {
    }

    private List<Change> reduce(KeyReduction reduction, RowsEvent event) throws InterruptedException {
        List<Change> changes = new ArrayList<>();
        reduction.reduce(event, (key, op, rows, image) -> changes.add(new Change(key, op, rows)));
        return changes;
    }

    @Test
    void rowEventsReduceToTheirKeysAndWhatBecameOfThem() throws Exception {
        assertThat(reduce(byId, insert(row(1, "a"), row(2, "b")))).containsExactly(
                new Change(key(1L), KeyReduction.Op.UPSERT, 1), new Change(key(2L), KeyReduction.Op.UPSERT, 1));
        assertThat(reduce(byId, delete(row(3, "c")))).containsExactly(new Change(key(3L), KeyReduction.Op.DELETE, 1));
        assertThat(reduce(byId, update(row(4, "d"), row(4, "e")))).as("the key stays")
                .containsExactly(new Change(key(4L), KeyReduction.Op.UPSERT, 1));
        assertThat(reduce(byId, update(row(5, "f"), row(6, "f")))).as("the key moves away from 5").containsExactly(
                new Change(key(5L), KeyReduction.Op.DELETE, 0), new Change(key(6L), KeyReduction.Op.UPSERT, 1));
    }

    @Test
    void textKeysCompareByTheirBytesAndCompositeKeysByEveryColumn() throws Exception {
        KeyReduction byName = new KeyReduction(List.of(NAME));
        assertThat(reduce(byName, update(row(1, "a"), row(1, "A")))).as("'a' and 'A' differ in Java").containsExactly(
                new Change(key((Object) "a".getBytes()), KeyReduction.Op.DELETE, 0),
                new Change(key((Object) "A".getBytes()), KeyReduction.Op.UPSERT, 1));
        assertThat(key(1L, "x".getBytes())).isEqualTo(key(1L, "x".getBytes())).isNotEqualTo(key(1L, "y".getBytes()))
                .hasSameHashCodeAs(key(1L, "x".getBytes()));
    }

    @Test
    void aKeyChangedManyTimesIsAppliedOnceWithItsLastOperationAtItsLastPosition() throws Exception {
        KeyQueue queue = new KeyQueue(1 << 20);
        queue.put(key(1L), KeyReduction.Op.UPSERT, 1, null, true);
        queue.put(key(2L), KeyReduction.Op.UPSERT, 1, null, true);
        queue.put(key(1L), KeyReduction.Op.DELETE, 1, null, true);
        queue.put(key(3L), KeyReduction.Op.DELETE, 1, null, true);
        queue.put(key(3L), KeyReduction.Op.UPSERT, 1, null, true);
        assertThat(queue.backlog()).isEqualTo(3);

        KeyBatch batch = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.rows()).isEqualTo(5);
        List<KeyBatch.Partition> one = batch.partitions(1, false);
        assertThat(one.get(0).deletes()).containsExactly(key(1L));
        assertThat(one.get(0).upserts()).as("in the order of their last changes").containsExactly(key(2L), key(3L));
        assertThat(queue.backlog()).as("handed out, not applied yet").isEqualTo(3);
        queue.applied(batch);
        assertThat(queue.backlog()).isZero();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.take(10, 0, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void keysBeforeABarrierComeFirstAndAreNeverMergedWithKeysAfterIt() throws Exception {
        KeyQueue queue = new KeyQueue(1 << 20);
        queue.put(key(1L), KeyReduction.Op.UPSERT, 1, null, true);
        queue.put(key(2L), KeyReduction.Op.UPSERT, 1, null, true);
        queue.putBarrier("marker");
        queue.put(key(1L), KeyReduction.Op.DELETE, 1, null, true);
        assertThat(queue.backlog()).isEqualTo(3);

        KeyBatch first = (KeyBatch) queue.take(1, 0, TimeUnit.SECONDS);
        assertThat(first.partitions(1, false).get(0).upserts()).containsExactly(key(1L));
        queue.applied(first);
        KeyBatch second = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        assertThat(second.partitions(1, false).get(0).upserts()).as("only what came before the barrier")
                .containsExactly(key(2L));
        queue.applied(second);
        assertThat(queue.take(10, 0, TimeUnit.SECONDS)).isEqualTo("marker");
        KeyBatch third = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        assertThat(third.partitions(1, false).get(0).deletes()).containsExactly(key(1L));
    }

    @Test
    void theEventSourceWaitsWhileTheQueueIsFullAndGoesOnOnceARoundIsApplied() throws Exception {
        long oneKey = key(1L).estimatedBytes();
        KeyQueue queue = new KeyQueue(2 * oneKey);
        queue.put(key(1L), KeyReduction.Op.UPSERT, 1, null, true);
        queue.put(key(2L), KeyReduction.Op.UPSERT, 1, null, true);
        queue.put(key(2L), KeyReduction.Op.DELETE, 1, null, true); // merged: takes no room
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                queue.put(key(3L), KeyReduction.Op.UPSERT, 1, null, true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> third.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        KeyBatch batch = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        assertThat(third).isNotDone(); // handed out is still held
        queue.applied(batch);
        third.get(5, TimeUnit.SECONDS);
        assertThat(queue.backlog()).isEqualTo(1);
    }

    @Test
    void keptImagesCountInTheBoundAndTheLastImageOfAKeyIsApplied() throws Exception {
        KeyQueue queue = new KeyQueue(1 << 20);
        Object[] first = row(1, "a");
        Object[] last = row(1, "a much longer name");
        queue.put(key(1L), KeyReduction.Op.UPSERT, 1, first, true);
        long withFirst = queue.bytes();
        queue.put(key(1L), KeyReduction.Op.UPSERT, 1, last, true);
        assertThat(queue.bytes()).isEqualTo(withFirst - ReplayKey.estimatedBytes(first)
                + ReplayKey.estimatedBytes(last)).isGreaterThan(key(1L).estimatedBytes());
        queue.put(key(2L), KeyReduction.Op.UPSERT, 1, null, true);
        KeyBatch batch = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        KeyBatch.Partition all = batch.partitions(1, false).get(0);
        assertThat(all.upserts()).containsExactly(key(1L), key(2L));
        assertThat(all.images()).containsExactly(last, null);
        queue.applied(batch);
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void aKeyLargerThanTheBoundIsLetInAlone() throws Exception {
        KeyQueue queue = new KeyQueue(16);
        queue.put(key((Object) new byte[1000]), KeyReduction.Op.UPSERT, 1, null, true);
        assertThat(queue.backlog()).isEqualTo(1);
    }

    @Test
    void awaitingTheBacklogWakesWhenARoundIsApplied() throws Exception {
        KeyQueue queue = new KeyQueue(1 << 20);
        queue.put(key(1L), KeyReduction.Op.UPSERT, 1, null, true);
        assertThat(queue.awaitBacklogAtMost(0, 50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(queue.awaitBacklogAtMost(1, 0, TimeUnit.MILLISECONDS)).isTrue();
        KeyBatch batch = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> queue.applied(batch), CompletableFuture.delayedExecutor(50,
                TimeUnit.MILLISECONDS));
        assertThat(queue.awaitBacklogAtMost(0, 5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void partitionsSplitByKeyHashAndDeleteBeforeReplaceDeletesEveryKey() throws Exception {
        KeyQueue queue = new KeyQueue(1 << 20);
        for (long id = 1; id <= 100; id++) {
            queue.put(key(id), id % 10 == 0 ? KeyReduction.Op.DELETE : KeyReduction.Op.UPSERT, 1, null, true);
        }
        KeyBatch batch = (KeyBatch) queue.take(1000, 0, TimeUnit.SECONDS);
        List<KeyBatch.Partition> two = batch.partitions(2, false);
        assertThat(two).hasSize(2).allSatisfy(p -> assertThat(p.isEmpty()).isFalse());
        for (int i = 0; i < 2; i++) {
            int partition = i;
            assertThat(two.get(i).deletes()).allSatisfy(k -> assertThat(Math.floorMod(k.hashCode(), 2))
                    .isEqualTo(partition));
            assertThat(two.get(i).upserts()).allSatisfy(k -> assertThat(Math.floorMod(k.hashCode(), 2))
                    .isEqualTo(partition));
        }
        assertThat(two.stream().mapToInt(p -> p.deletes().size()).sum()).isEqualTo(10);
        assertThat(two.stream().mapToInt(p -> p.upserts().size()).sum()).isEqualTo(90);

        List<KeyBatch.Partition> deletingFirst = batch.partitions(2, true);
        assertThat(deletingFirst.stream().mapToInt(p -> p.deletes().size()).sum()).isEqualTo(100);
        assertThat(deletingFirst.stream().mapToInt(p -> p.upserts().size()).sum()).isEqualTo(90);
    }

    @Test
    void aDeletedKeyWithANullIsCopiedAgainUnlessQueuedWhileImagesWereKept() throws Exception {
        KeyQueue queue = new KeyQueue(1 << 20);
        queue.put(key(1L, null), KeyReduction.Op.DELETE, 1, null, true);
        queue.put(key(2L, "x".getBytes()), KeyReduction.Op.DELETE, 1, null, true);
        queue.put(key(3L, null), KeyReduction.Op.DELETE, 1, null, false); // queued while images were kept
        queue.put(key(4L, null), KeyReduction.Op.UPSERT, 1, null, true);
        KeyBatch batch = (KeyBatch) queue.take(10, 0, TimeUnit.SECONDS);
        KeyBatch.Partition resync = batch.partitions(1, false).get(0);
        assertThat(resync.deletes()).as("an upsert of a NULL key deletes first").hasSize(4);
        assertThat(resync.upserts()).containsExactly(key(1L, null), key(4L, null));
    }

    @Test
    void statementsAreSplitByKeyCountAndByTheKeysBytes() {
        List<ReplayKey> small = new ArrayList<>();
        for (long id = 0; id < 1200; id++) {
            small.add(key(id));
        }
        assertThat(Replayer.statements(small)).extracting(List::size).containsExactly(500, 500, 200);
        List<ReplayKey> wide = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            wide.add(key((Object) new byte[3000]));
        }
        List<List<ReplayKey>> slices = Replayer.statements(wide);
        assertThat(slices).hasSizeGreaterThan(2);
        assertThat(slices).allSatisfy(s -> assertThat(s.stream().mapToLong(ReplayKey::estimatedBytes).sum())
                .isLessThanOrEqualTo(128 * 1024));
        assertThat(slices.stream().mapToInt(List::size).sum()).isEqualTo(100);
    }
}
