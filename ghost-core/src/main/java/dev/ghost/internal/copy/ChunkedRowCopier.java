package dev.ghost.internal.copy;

import dev.ghost.internal.copy.ParallelChunkCopy.Chunk;
import dev.ghost.internal.copy.ParallelChunkCopy.ChunkCopier;
import dev.ghost.internal.sql.Sql;
import dev.ghost.internal.table.InspectedTable;
import dev.ghost.internal.table.TableInspector;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.CopyContext;
import dev.ghost.spi.CopyPlan;
import dev.ghost.spi.RowCopyStrategy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * gh-ost's row copy: read the first and last key once, then copy the key's range in chunks, each with
 * {@code INSERT IGNORE ... SELECT ... LOCK IN SHARE MODE}. IGNORE keeps rows the replay already wrote (they are
 * newer); the shared lock makes a concurrent writer wait until the chunk is in, so its binlog event follows the copy.
 * Rows inserted after the last key was read are the replay's job. A single integer key is cut into ranges by
 * arithmetic ({@link IntegerRanges}: one statement per chunk); any other key, or one found too sparse, is walked: a
 * query finds where each chunk ends, in the index's order. With more than one copy thread the chunks go to
 * {@link ParallelChunkCopy}: chunks are independent ranges, so their order does not matter.
 */
public final class ChunkedRowCopier implements RowCopyStrategy {

    private static final Logger log = LoggerFactory.getLogger(ChunkedRowCopier.class);
    private static final int ATTEMPTS_PER_CHUNK = 10;
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint");

    @Override
    public String name() {
        return "chunked";
    }

    @Override
    public void copyRows(CopyContext context) throws SQLException, InterruptedException {
        try (CopyConnection connection = new CopyConnection(context)) {
            InspectedTable table = inspect(connection.get(), context.plan());
            ChunkSql sql = new ChunkSql(context.plan(), keyBounds(table, context.plan()),
                    nullableKeyColumns(table, context.plan()));
            copyNullKeyRows(connection, sql, context);
            Object[] first = readKey(connection.get(), sql, sql.firstKey());
            Object[] last = readKey(connection.get(), sql, sql.lastKey());
            if (first == null || last == null) {
                log.info("{} is empty: nothing to copy", context.plan().original());
                return;
            }
            boolean firstInclusive = true;
            Optional<List<Object>> resumeAfter = context.resumeAfter();
            if (resumeAfter.isPresent()) {
                // An earlier run copied every row up to there: start right after it.
                first = resumeAfter.get().toArray();
                firstInclusive = false;
                log.info("{}: the copy resumes after key {}", context.plan().original(), resumeAfter.get());
            }
            IntegerRanges ranges = null;
            if (integerKey(table, context.plan())) {
                BigInteger from = firstInclusive ? integer(first[0]) : integer(first[0]).add(BigInteger.ONE);
                if (from.compareTo(integer(last[0])) > 0) {
                    log.info("{}: every row up to the last key was copied before", context.plan().original());
                    return;
                }
                first = new Object[] {new BigDecimal(from)};
                firstInclusive = true;
                ranges = new IntegerRanges(from, integer(last[0]));
            }
            IntegerRanges computed = ranges;
            CopiedPrefix prefix = new CopiedPrefix(context::copiedThrough);
            ChunkCopier copier = (target, chunk) -> {
                long inserted = copyChunk(target, sql, chunk.start(), chunk.startInclusive(), chunk.end(), context);
                if (chunk.arithmetic() != null) {
                    computed.rangeCopied(chunk.arithmetic(), inserted);
                }
                // A computed range's rows are those it held; the walk counted its own.
                context.chunkCopied(inserted, chunk.arithmetic() != null ? inserted : chunk.rows());
                prefix.copied(chunk.sequence());
            };
            int threads = Math.max(1, context.copyThreads());
            Plan plan = new Plan(connection, sql, last, computed, context, prefix);
            if (threads == 1) {
                // One thread asks for permission before it sizes the next chunk, so a size changed meanwhile applies.
                plan.run(first, firstInclusive, true, chunk -> copier.copy(connection, chunk));
                return;
            }
            try (ParallelChunkCopy parallel = new ParallelChunkCopy(threads, context.plan().original().name(),
                    context, copier)) {
                plan.run(first, firstInclusive, false, parallel::submit);
                parallel.finish();
            }
        }
    }

    private static List<String> nullableKeyColumns(InspectedTable table, CopyPlan plan) {
        return plan.keyColumns().stream()
                .filter(name -> table.schema().column(name).map(ColumnSchema::nullable).orElse(false)).toList();
    }

    /** The rows whose (allowed nullable) key holds a NULL: they are in no key range, so they go over first, apart. */
    private static void copyNullKeyRows(CopyConnection copying, ChunkSql sql, CopyContext context)
            throws SQLException, InterruptedException {
        List<String> statements = sql.nullKeyRows();
        if (statements.isEmpty()) {
            return;
        }
        context.awaitPermissionToCopy();
        for (int attempt = 1; ; attempt++) {
            Connection connection = copying.get();
            boolean autoCommit = connection.getAutoCommit();
            try {
                connection.setAutoCommit(false);
                try (Statement delete = connection.createStatement();
                     Statement insert = connection.createStatement()) {
                    delete.executeUpdate(statements.get(0));
                    long inserted = insert.executeLargeUpdate(statements.get(1));
                    context.checkWarnings(insert);
                    connection.commit();
                    connection.setAutoCommit(autoCommit);
                    log.info("copied {} row(s) of {} whose key holds a NULL", inserted, context.plan().original());
                    context.chunkCopied(inserted, inserted);
                    return;
                }
            } catch (SQLException e) {
                if (Sql.isConnectionLost(e)) {
                    copying.retryIfLost(e); // the transaction died with the connection: nothing to roll back
                    continue;
                }
                connection.rollback();
                connection.setAutoCommit(autoCommit);
                retryOrThrow(e, attempt);
            }
        }
    }

    private static InspectedTable inspect(Connection connection, CopyPlan plan) throws SQLException {
        return TableInspector.inspect(connection, plan.original()).orElseThrow(() ->
                new SQLException("table " + plan.original() + " does not exist"));
    }

    /** How the walked key's columns compare, from the original table's definition. */
    private static KeyBounds keyBounds(InspectedTable table, CopyPlan plan) throws SQLException {
        List<KeyColumn> columns = new ArrayList<>();
        for (String name : plan.keyColumns()) {
            columns.add(KeyColumn.of(table.schema().column(name).orElseThrow(() ->
                    new SQLException("key column " + name + " is not in " + plan.original()))));
        }
        return new KeyBounds(columns);
    }

    /** Whether the key is one integer column, whose ranges can be computed rather than walked. */
    static boolean integerKey(InspectedTable table, CopyPlan plan) {
        if (plan.keyColumns().size() != 1) {
            return false;
        }
        return table.schema().column(plan.keyColumns().get(0))
                .map(column -> INTEGER_TYPES.contains(column.dataType().toLowerCase(Locale.ROOT)))
                .orElse(false);
    }

    private static BigInteger integer(Object keyValue) {
        return ((BigDecimal) keyValue).toBigIntegerExact();
    }

    /** What the walk does with each chunk it finds. */
    @FunctionalInterface
    private interface ChunkHandler {
        void handle(Chunk chunk) throws SQLException, InterruptedException;
    }

    /** Cuts the key's range, up to {@code last}, into chunks, numbered in key order for {@link CopiedPrefix}. */
    private record Plan(CopyConnection connection, ChunkSql sql, Object[] last, IntegerRanges ranges,
                        CopyContext context, CopiedPrefix prefix) {

        /**
         * Hands every chunk from {@code first} to the handler: computed ranges when it can, else walked; asking for
         * permission before each when {@code awaitPermission} (else the handler's threads ask).
         */
        void run(Object[] first, boolean firstInclusive, boolean awaitPermission, ChunkHandler handler)
                throws SQLException, InterruptedException {
            if (ranges == null) {
                walk(first, firstInclusive, awaitPermission, handler);
                return;
            }
            while (true) {
                if (ranges.tooSparse()) {
                    log.info("{}: the key is too sparse for computed ranges ({} rows per key value); walking it "
                                    + "from {}", context.plan().original(),
                            String.format(Locale.ROOT, "%.3f", ranges.density()), ranges.next());
                    walk(new Object[] {new BigDecimal(ranges.next())}, true, awaitPermission, handler);
                    return;
                }
                if (awaitPermission) {
                    context.awaitPermissionToCopy();
                }
                IntegerRanges.Range range = ranges.nextRange(context.chunkSize());
                Object[] end = {new BigDecimal(range.end())};
                handler.handle(new Chunk(new Object[] {new BigDecimal(range.start())}, true, end, 0, range,
                        prefix.planned(end)));
                if (range.last()) {
                    return;
                }
            }
        }

        private void walk(Object[] first, boolean firstInclusive, boolean awaitPermission, ChunkHandler handler)
                throws SQLException, InterruptedException {
            Object[] start = first;
            boolean startInclusive = firstInclusive;
            while (true) {
                if (awaitPermission) {
                    context.awaitPermissionToCopy();
                }
                int chunkSize = context.chunkSize();
                Object[] end = findChunkEnd(connection, sql, start, startInclusive, last, chunkSize);
                boolean lastChunk = end == null;
                Object[] through = lastChunk ? last : end;
                handler.handle(new Chunk(start, startInclusive, through, chunkSize, null, prefix.planned(through)));
                if (lastChunk) {
                    return;
                }
                start = end;
                startInclusive = false;
            }
        }
    }

    private static Object[] findChunkEnd(CopyConnection connection, ChunkSql sql, Object[] start,
                                         boolean startInclusive, Object[] last, int chunkSize)
            throws SQLException, InterruptedException {
        ChunkSql.Statement query = sql.chunkEnd(start, startInclusive, last, chunkSize - 1);
        for (int attempt = 1; ; attempt++) {
            try {
                Object[] end = readKey(connection.get(), sql, query);
                connection.succeeded();
                return end;
            } catch (SQLException e) {
                retryOrThrow(e, attempt, connection);
            }
        }
    }

    private static long copyChunk(CopyConnection connection, ChunkSql sql, Object[] start, boolean startInclusive,
                                  Object[] end, CopyContext context) throws SQLException, InterruptedException {
        ChunkSql.Statement copy = sql.copyChunk(start, startInclusive, end);
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement statement = connection.get().prepareStatement(copy.sql())) {
                KeyBounds.bind(statement, copy.values());
                long inserted = statement.executeLargeUpdate();
                // IGNORE turns errors into warnings: the engine decides which of them mean lost data.
                context.checkWarnings(statement);
                connection.succeeded();
                return inserted;
            } catch (SQLException e) {
                retryOrThrow(e, attempt, connection);
            }
        }
    }

    /** A lost connection is reopened (bounded, see {@link CopyConnection}); a deadlock or lock wait is retried. */
    private static void retryOrThrow(SQLException e, int attempt, CopyConnection connection)
            throws SQLException, InterruptedException {
        if (Sql.isConnectionLost(e)) {
            connection.retryIfLost(e);
            return;
        }
        retryOrThrow(e, attempt);
    }

    private static void retryOrThrow(SQLException e, int attempt) throws SQLException, InterruptedException {
        if (!Sql.isRetryable(e) || attempt >= ATTEMPTS_PER_CHUNK) {
            throw e;
        }
        log.debug("chunk attempt {} failed ({}); retrying", attempt, e.getMessage());
        Thread.sleep(10L * attempt); // back off a little: the conflicting transaction needs time to finish
    }


    private static Object[] readKey(Connection connection, ChunkSql sql, String query) throws SQLException {
        return readKey(connection, sql, new ChunkSql.Statement(query, List.of()));
    }

    private static Object[] readKey(Connection connection, ChunkSql sql, ChunkSql.Statement query)
            throws SQLException {
        return sql.bounds().readFirstKey(connection, query.sql(), query.values());
    }
}
