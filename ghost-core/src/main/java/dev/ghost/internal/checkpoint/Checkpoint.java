package dev.ghost.internal.checkpoint;

import dev.ghost.spi.BinlogPosition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A consistent point of a migration, from which another run can go on: every row whose key is at or before
 * {@code copiedThrough} is in the ghost table, and every binlog event before {@code position} has been applied to it.
 * Both held when it was written; a run that starts its stream at {@code position} and its copy after
 * {@code copiedThrough} ends with the same rows as one that never stopped (the replay converges on the original, and
 * the copy never overwrites).
 *
 * @param id             its row in the checkpoint table
 * @param writtenAt      when it was written
 * @param position       the binlog position, with the GTID set of the transactions applied when the server has one
 * @param copiedThrough  the copy's progress; empty when no chunk had been copied yet, or the key could not be stored
 * @param rowsCopied     rows copied so far (for the progress shown)
 * @param eventsApplied  row events applied so far (for the progress shown)
 * @param alter          the ALTER being run
 * @param originalCreate the original's {@code SHOW CREATE TABLE} when the migration started
 * @param ghostCreate    the ghost's definition once complete (after the ALTER, with every index)
 * @param ghostCopying   the ghost's definition while rows are copied (without its deferred indexes; else as above)
 * @param format         the layout of what is stored (see {@link CheckpointTable#FORMAT})
 * @param ghostVersion   the version of ghost that wrote it
 * @param cutover        it marks a completed cut-over: its position is where the new table's writes begin
 */
public record Checkpoint(long id, Instant writtenAt, BinlogPosition position, Optional<List<Object>> copiedThrough,
                         long rowsCopied, long eventsApplied, String alter, String originalCreate, String ghostCreate,
                         String ghostCopying, int format, String ghostVersion, boolean cutover) {

    /** Whether the stored position has a GTID set: a stream can then start from it on any server that has it. */
    public boolean hasGtids() {
        return position.gtidSet() != null && !position.gtidSet().isBlank();
    }
}
