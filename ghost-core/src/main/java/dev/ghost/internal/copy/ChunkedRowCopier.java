package dev.ghost.internal.copy;

import dev.ghost.internal.copy.ParallelChunkCopy.Chunk;
import dev.ghost.internal.copy.ParallelChunkCopy.ChunkCopier;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.CopyContext;
import dev.ghost.spi.RowCopyStrategy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * gh-ost's row copy: read the first and last key once, then walk the key in chunks, each copied with
 * {@code INSERT IGNORE ... SELECT ... LOCK IN SHARE MODE}. IGNORE keeps rows the replay already wrote (they are
 * newer); the shared lock makes a concurrent writer wait until the chunk is in, so its binlog event follows the copy.
 * Rows inserted after the last key was read are the replay's job. With more than one copy thread the walk hands
 * the chunks to {@link ParallelChunkCopy}: chunks are independent ranges, so their order does not matter.
 */
public final class ChunkedRowCopier implements RowCopyStrategy {

    private static final Logger log = LoggerFactory.getLogger(ChunkedRowCopier.class);
    private static final int ATTEMPTS_PER_CHUNK = 10;

    @Override
    public String name() {
        return "chunked";
    }

    @Override
    public void copyRows(CopyContext context) throws SQLException, InterruptedException {
        ChunkSql sql = new ChunkSql(context.plan());
        int keyColumns = context.plan().keyColumns().size();
        int[] order = ChunkSql.parameterOrder(keyColumns);
        try (Connection connection = context.openConnection()) {
            Object[] first = readKey(connection, sql.firstKey());
            Object[] last = readKey(connection, sql.lastKey());
            if (first == null || last == null) {
                log.info("{} is empty: nothing to copy", context.plan().original());
                return;
            }
            ChunkCopier copier = (target, chunk) ->
                    copyChunk(target, sql, order, chunk.start(), chunk.startInclusive(), chunk.end(), context);
            int threads = Math.max(1, context.copyThreads());
            if (threads == 1) {
                // One thread asks for permission before it sizes the next chunk, so a size changed meanwhile applies.
                walk(connection, sql, order, first, last, context, true,
                        chunk -> context.chunkCopied(copier.copy(connection, chunk), chunk.rows()));
                return;
            }
            try (ParallelChunkCopy parallel = new ParallelChunkCopy(threads, context.plan().original().name(),
                    context, copier)) {
                walk(connection, sql, order, first, last, context, false, parallel::submit);
                parallel.finish();
            }
        }
    }

    /** What the walk does with each chunk it finds. */
    @FunctionalInterface
    private interface ChunkHandler {
        void handle(Chunk chunk) throws SQLException, InterruptedException;
    }

    /**
     * Walks the key from {@code first} to {@code last} in chunks of the current chunk size, asking for permission
     * before each when {@code awaitPermission} (else the handler's threads ask).
     */
    private static void walk(Connection connection, ChunkSql sql, int[] order, Object[] first, Object[] last,
                             CopyContext context, boolean awaitPermission, ChunkHandler handler)
            throws SQLException, InterruptedException {
        Object[] start = first;
        boolean startInclusive = true;
        while (true) {
            if (awaitPermission) {
                context.awaitPermissionToCopy();
            }
            int chunkSize = context.chunkSize();
            Object[] end = findChunkEnd(connection, sql, order, start, startInclusive, last, chunkSize);
            boolean lastChunk = end == null;
            handler.handle(new Chunk(start, startInclusive, lastChunk ? last : end, chunkSize));
            if (lastChunk) {
                return;
            }
            start = end;
            startInclusive = false;
        }
    }

    private static Object[] findChunkEnd(Connection connection, ChunkSql sql, int[] order, Object[] start,
                                         boolean startInclusive, Object[] last, int chunkSize)
            throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement statement = connection.prepareStatement(sql.chunkEnd(startInclusive))) {
                int index = bindBounds(statement, order, start, last);
                statement.setInt(index, chunkSize - 1);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? keyOf(rows) : null;
                }
            } catch (SQLException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    private static long copyChunk(Connection connection, ChunkSql sql, int[] order, Object[] start,
                                  boolean startInclusive, Object[] end, CopyContext context)
            throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement statement = connection.prepareStatement(sql.copyChunk(startInclusive))) {
                bindBounds(statement, order, start, end);
                long inserted = statement.executeLargeUpdate();
                // IGNORE turns errors into warnings: the engine decides which of them mean lost data.
                context.checkWarnings(statement);
                return inserted;
            } catch (SQLException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    private static void retryOrThrow(SQLException e, int attempt) throws SQLException, InterruptedException {
        if (!Sql.isRetryable(e) || attempt >= ATTEMPTS_PER_CHUNK) {
            throw e;
        }
        log.debug("chunk attempt {} failed ({}); retrying", attempt, e.getMessage());
        Thread.sleep(10L * attempt); // back off a little: the conflicting transaction needs time to finish
    }

    /** Binds the lower bound (from {@code start}) then the upper bound (to {@code end}); returns the next index. */
    private static int bindBounds(PreparedStatement statement, int[] order, Object[] start, Object[] end)
            throws SQLException {
        int index = 1;
        for (int column : order) {
            bindKeyValue(statement, index++, start[column]);
        }
        for (int column : order) {
            bindKeyValue(statement, index++, end[column]);
        }
        return index;
    }

    private static void bindKeyValue(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else {
            statement.setString(index, (String) value);
        }
    }

    private static Object[] readKey(Connection connection, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? keyOf(rows) : null;
        }
    }

    /**
     * Key values travel as the server's own text (numbers, temporals, strings) or bytes (binary types), and are bound
     * back the same way, so no value is ever converted by Java on the way.
     */
    private static Object[] keyOf(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        Object[] key = new Object[meta.getColumnCount()];
        for (int i = 0; i < key.length; i++) {
            key[i] = isBinary(meta.getColumnType(i + 1)) ? rows.getBytes(i + 1) : rows.getString(i + 1);
        }
        return key;
    }

    private static boolean isBinary(int jdbcType) {
        return switch (jdbcType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.BIT -> true;
            default -> false;
        };
    }
}
