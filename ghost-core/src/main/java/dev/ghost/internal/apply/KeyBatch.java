package dev.ghost.internal.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One round of the replay: distinct keys, each with its last operation, in the order of their last changes. The
 * round is applied in two phases, each split into partitions by key hash that run on connections of their own:
 * first every delete, then, once all deletes committed, every upsert.
 */
final class KeyBatch {

    /**
     * One connection's share of a round: the keys it deletes, then the keys it writes again, each from its row image
     * where {@code images} holds one (kept for the cut-over, see {@link Replayer}), else from the original.
     */
    record Partition(List<ReplayKey> deletes, List<ReplayKey> upserts, List<Object[]> images) {
        boolean isEmpty() {
            return deletes.isEmpty() && upserts.isEmpty();
        }
    }

    private final List<ReplayKey> keys = new ArrayList<>();
    private final List<KeyReduction.Op> ops = new ArrayList<>();
    private final List<Object[]> images = new ArrayList<>();
    private final List<Boolean> originalReadable = new ArrayList<>();
    private long rows;
    private long bytes;

    /**
     * @param image            the row's last image, for an upsert whose image was kept; else null
     * @param originalReadable whether the key was queued while the original could be read (no images kept)
     */
    void add(ReplayKey key, KeyReduction.Op op, long rowChanges, Object[] image, boolean originalReadable) {
        keys.add(key);
        ops.add(op);
        images.add(image);
        this.originalReadable.add(originalReadable);
        rows += rowChanges;
        bytes += key.estimatedBytes() + ReplayKey.estimatedBytes(image);
    }

    /**
     * A key holding a NULL that was queued while images were kept: rows sharing that NULL cannot be told apart
     * without reading the original, which the cut-over may have locked by then.
     */
    Optional<ReplayKey> nullKeyWithoutOriginal() {
        for (int i = 0; i < keys.size(); i++) {
            if (!originalReadable.get(i) && keys.get(i).hasNull()) {
                return Optional.of(keys.get(i));
            }
        }
        return Optional.empty();
    }

    int size() {
        return keys.size();
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The binlog row changes the round stands for. */
    long rows() {
        return rows;
    }

    /** The keys' estimated bytes, as the queue counted them. */
    long bytes() {
        return bytes;
    }

    /**
     * The round's keys by {@code hash mod n}. A key whose last operation is a delete is deleted; one whose last is an
     * upsert is copied again, and with {@code deleteBeforeReplace} (the ghost has no unique key on exactly the key's
     * columns, so REPLACE would not remove the row's previous version) deleted first too. A deleted key that holds a
     * NULL (a nullable unique key, allowed by the user) is also copied again, unless it was queued while images were
     * kept (the original may be locked then): the delete matches every row with that NULL, and the others must come
     * back. An upserted key that holds a NULL is deleted first, as REPLACE would add its row again beside the old.
     */
    List<Partition> partitions(int n, boolean deleteBeforeReplace) {
        List<Partition> partitions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            partitions.add(new Partition(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        }
        for (int i = 0; i < keys.size(); i++) {
            ReplayKey key = keys.get(i);
            Partition partition = partitions.get(Math.floorMod(key.hashCode(), n));
            if (ops.get(i) == KeyReduction.Op.DELETE) {
                partition.deletes().add(key);
                if (originalReadable.get(i) && key.hasNull()) {
                    partition.upserts().add(key);
                    partition.images().add(null);
                }
            } else {
                // REPLACE never replaces a row whose key holds a NULL (NULLs are never duplicates): delete it first.
                if (deleteBeforeReplace || key.hasNull()) {
                    partition.deletes().add(key);
                }
                partition.upserts().add(key);
                partition.images().add(images.get(i));
            }
        }
        return partitions;
    }
}
