package dev.ghost.internal.apply;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The replay's backlog: changed keys waiting to be applied, deduplicated, bounded in bytes, with barriers (changelog
 * entries, logged statements) kept in binlog order between them.
 *
 * <p>Keys are held in segments, one per stretch of the binlog between two barriers. Within a segment a key is held
 * once, with its last operation, at the position of its last change: a key changed again moves to the segment's end.
 * That order matters for keys that differ in Java but name the same row under a collation ('a' and 'A'): the round
 * that holds the last change of such a row deletes before it upserts, and reads the row's current state, so it
 * leaves the ghost right whatever earlier rounds did. A key is never merged across a barrier: everything before a
 * barrier is applied before the barrier is handed out.
 *
 * <p>The queue holds keys, never row images, so its size depends on the number of distinct keys changed, not on row
 * width or transaction size. When the keys' estimated bytes reach the bound, the event source waits (one key larger
 * than the bound is let in alone, so that nothing waits forever). Keys handed out stay counted until
 * {@link #applied}: they are still in memory and still to be applied.
 */
final class KeyQueue {

    /** A key's pending change: its last operation, the row changes merged into it, its last image if kept. */
    private static final class Pending {
        KeyReduction.Op op;
        long rows;
        Object[] image;
        boolean originalReadable;

        Pending(KeyReduction.Op op, long rows, Object[] image, boolean originalReadable) {
            this.op = op;
            this.rows = rows;
            this.image = image;
            this.originalReadable = originalReadable;
        }
    }

    /** The keys changed between two barriers, and the barrier that ends them (null while it is the open tail). */
    private static final class Segment {
        final LinkedHashMap<ReplayKey, Pending> keys = new LinkedHashMap<>();
        Object barrier;
    }

    private final long capacityBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final Condition drained = lock.newCondition();
    private final Deque<Segment> segments = new ArrayDeque<>();
    /** Keys waiting or handed out and not applied yet, and their estimated bytes. */
    private long keys;
    private long bytes;

    KeyQueue(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * Queues a key's change, merging it with a change of the same key since the last barrier; may wait for room.
     *
     * @param image the row's image to apply instead of reading the original, or null (a delete, or images not kept);
     *              counted in the bound like the key
     * @param originalReadable whether the key may be applied by reading the original (images are not being kept)
     */
    void put(ReplayKey key, KeyReduction.Op op, long rows, Object[] image, boolean originalReadable)
            throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Pending pending = openSegment().keys.remove(key);
            if (pending != null) {
                bytes += ReplayKey.estimatedBytes(image) - ReplayKey.estimatedBytes(pending.image);
                pending.op = op;
                pending.rows += rows;
                pending.image = image;
                pending.originalReadable = originalReadable;
                openSegment().keys.put(key, pending); // to the end: the key's last change is now
                return;
            }
            long size = key.estimatedBytes() + ReplayKey.estimatedBytes(image);
            while (bytes > 0 && bytes + size > capacityBytes) {
                notFull.await();
            }
            openSegment().keys.put(key, new Pending(op, rows, image, originalReadable));
            keys++;
            bytes += size;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a barrier: handed out once every key queued before it has been applied. Never waits. */
    void putBarrier(Object barrier) {
        lock.lock();
        try {
            openSegment().barrier = barrier;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Segment openSegment() {
        Segment last = segments.peekLast();
        if (last == null || last.barrier != null) {
            last = new Segment();
            segments.addLast(last);
        }
        return last;
    }

    /**
     * The next work, waiting up to {@code timeout} for some: a {@link KeyBatch} of up to {@code maxKeys} keys
     * queued before the next barrier, or that barrier once all of them were handed out and {@link #applied}; null
     * when the timeout passed first. Called by one thread, which applies each batch before it takes again.
     */
    Object take(int maxKeys, long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (true) {
                Segment head = segments.peekFirst();
                if (head != null && !head.keys.isEmpty()) {
                    KeyBatch batch = new KeyBatch();
                    Iterator<Map.Entry<ReplayKey, Pending>> entries = head.keys.entrySet().iterator();
                    while (entries.hasNext() && batch.size() < maxKeys) {
                        Map.Entry<ReplayKey, Pending> entry = entries.next();
                        Pending pending = entry.getValue();
                        batch.add(entry.getKey(), pending.op, pending.rows, pending.image, pending.originalReadable);
                        entries.remove();
                    }
                    return batch;
                }
                if (head != null && head.barrier != null) {
                    segments.removeFirst();
                    return head.barrier;
                }
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A batch handed out by {@link #take} is applied: its keys leave the backlog and free their room. */
    void applied(KeyBatch batch) {
        lock.lock();
        try {
            keys -= batch.size();
            bytes -= batch.bytes();
            notFull.signalAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting or being applied. */
    long backlog() {
        lock.lock();
        try {
            return keys;
        } finally {
            lock.unlock();
        }
    }

    /** The estimated bytes of the keys waiting or being applied. */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at most {@code keys} keys wait; false when the timeout came first. */
    boolean awaitBacklogAtMost(long most, long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (keys > most) {
                if (left <= 0) {
                    return false;
                }
                left = drained.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
