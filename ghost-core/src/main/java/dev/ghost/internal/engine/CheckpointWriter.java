package dev.ghost.internal.engine;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.internal.checkpoint.CheckpointTable;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.BinlogPosition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes a checkpoint every interval while rows are copied and the replay catches up, on a thread of its own. Each is
 * a consistent point: the copy's progress is read first (every chunk up to there is committed), then a marker through
 * the binlog proves that the replay applied everything before the position stored. Both facts hold when the row is
 * written, which is all a resume needs. A checkpoint the replay cannot reach in time is skipped, not waited for.
 */
final class CheckpointWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);
    /** The version of ghost, as its jar names it; "dev" when run from classes. */
    static final String GHOST_VERSION = Optional.ofNullable(OnlineSchemaChange.class.getPackage()
            .getImplementationVersion()).orElse("dev");
    private static final Duration MIN_MARKER_WAIT = Duration.ofSeconds(30);

    /** What a checkpoint stores besides the progress: the definitions a resume must find unchanged. */
    record Definitions(String alter, String originalCreate, String ghostCreate, String ghostCopying) {
    }

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChangeStream stream;
    private final CheckpointTable table;
    private final Definitions definitions;
    private final LongSupplier rowsCopied;
    private final LongSupplier eventsApplied;
    private volatile Optional<List<Object>> copiedThrough;
    private ScheduledExecutorService timer;

    /**
     * @param copiedThrough where an earlier run's copy got to, for a resumed run (empty: from the start)
     */
    CheckpointWriter(MigrationSettings settings, ServerConnections connections, ChangeStream stream,
                     Definitions definitions, Optional<List<Object>> copiedThrough, LongSupplier rowsCopied,
                     LongSupplier eventsApplied) {
        this.settings = settings;
        this.connections = connections;
        this.stream = stream;
        this.table = new CheckpointTable(settings.checkpointTable());
        this.definitions = definitions;
        this.copiedThrough = copiedThrough;
        this.rowsCopied = rowsCopied;
        this.eventsApplied = eventsApplied;
    }

    /** The copy reports every advance of its unbroken run of copied chunks. */
    void copiedThrough(List<Object> key) {
        copiedThrough = Optional.of(Collections.unmodifiableList(new ArrayList<>(key)));
    }

    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ghost-checkpoint-" + settings.table().name());
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.checkpoints().interval().toMillis();
        timer.scheduleWithFixedDelay(this::writeQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void writeQuietly() {
        try {
            write();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("checkpoint of {} skipped: {}", settings.table(), e.toString());
        }
    }

    /** Writes one checkpoint now; returns its position. */
    BinlogPosition write() throws Exception {
        Optional<List<Object>> copied = copiedThrough; // first: every chunk up to it is committed already
        long rows = rowsCopied.getAsLong();
        long events = eventsApplied.getAsLong();
        Duration wait = settings.checkpoints().interval().compareTo(MIN_MARKER_WAIT) > 0
                ? settings.checkpoints().interval() : MIN_MARKER_WAIT;
        BinlogPosition position = stream.appliedThroughMarker("checkpoint", wait);
        try (Connection connection = connections.open()) {
            table.write(connection, position, copied, rows, events, definitions.alter(),
                    definitions.originalCreate(), definitions.ghostCreate(), definitions.ghostCopying(),
                    GHOST_VERSION, false);
        }
        log.info("checkpoint success at coords={}; copied through key {}", position,
                copied.map(CheckpointWriter::display).orElse("(none yet)"));
        return position;
    }

    /**
     * After a swap: stores where the new table's writes begin in the binlog (the cut-over's marker, written under its
     * lock), so that a revert can bring the old table up to date from there.
     */
    void writeCutover(BinlogPosition position) throws SQLException {
        try (Connection connection = connections.open()) {
            table.write(connection, position, Optional.empty(), rowsCopied.getAsLong(), eventsApplied.getAsLong(),
                    definitions.alter(), definitions.originalCreate(), definitions.ghostCreate(),
                    definitions.ghostCopying(), GHOST_VERSION, true);
        }
        log.info("checkpoint success after cutover at coords={}", position);
    }

    /** A key as an operator reads it: numbers as they are, text quoted, bytes in hex. */
    static String display(List<Object> key) {
        List<String> values = new ArrayList<>();
        for (Object value : key) {
            values.add(value == null ? "NULL" : value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes)
                    : value instanceof String text ? "'" + text + "'" : value.toString());
        }
        return "(" + String.join(", ", values) + ")";
    }

    /** Stops writing; waits for a checkpoint being written. */
    @Override
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }
}
