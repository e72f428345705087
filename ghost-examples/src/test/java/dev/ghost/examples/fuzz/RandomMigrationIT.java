package dev.ghost.examples.fuzz;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A randomized differential test: each seed generates a table over the whole type matrix with a random unique key,
 * fills it, and migrates it with a random safe ALTER while four writers insert, update, delete and move keys. The
 * writers stop once the copy is done and some of their changes went through the binlog alone; after the cut-over,
 * the same ALTER is run natively on a copy of the old table, and that copy must equal the migrated table: same
 * columns and indexes, same rows, byte for byte.
 *
 * <p>Seeds: {@code -Dghost.fuzz.seed=N} runs one, {@code -Dghost.fuzz.seeds=N} runs N from
 * {@code -Dghost.fuzz.base} (default 1); otherwise {@link #DEFAULT_SEEDS}. {@code -Dghost.fuzz.writers=N} changes
 * the number of writers (default 4; 0 tests the copy alone). A failure prints the seed, the
 * generated CREATE TABLE and ALTER, the first differing rows and the command that replays it. A migration that
 * refuses the table with a pre-flight error is a clear refusal, not a loss: that seed is reported as skipped.
 */
@ExtendWith(RealServer.class)
class RandomMigrationIT {

    /**
     * Chosen for coverage: keys led by ENUM (8), SET (61) and BIT (14), SET inside a key (78), YEAR (13), strings in
     * non-default collations (16: utf8mb4_unicode_ci, 25: latin1_general_ci), a UNIQUE key instead of a primary key
     * (13, 62, 97), utf8mb4_bin and latin1_bin strings, DECIMAL, temporal and binary keys, and ALTERs of one to four
     * changes of every kind (9, 23, 62, 88, 97).
     */
    static final long[] DEFAULT_SEEDS = {8, 61, 14, 78, 13, 16, 25, 9, 23, 62, 88, 97};

    /** {@code -Dghost.fuzz.writers=0} tells whether a failure needs concurrent writes at all. */
    private static final int WRITERS = Integer.getInteger("ghost.fuzz.writers", 4);
    private static final int STATEMENTS_PER_WRITER = 1_500;
    private static final long WRITER_MILLIS = 60_000;
    /** Writes while the copy is held, before it read a row. */
    private static final int WRITES_WHILE_HELD = 200;
    /** Writes that must reach the ghost table through the binlog alone, after the copy ended. */
    private static final int WRITES_AFTER_COPY = 100;
    private static final String EXPECTED = "fz_expected";
    /** A copy of at most 2,000 rows that copies nothing for this long is stuck. */
    private static final Duration STALL = Duration.ofSeconds(30);

    static LongStream seeds() {
        String one = System.getProperty("ghost.fuzz.seed", "");
        if (!one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        String many = System.getProperty("ghost.fuzz.seeds", "");
        if (!many.isBlank()) {
            long base = Long.parseLong(System.getProperty("ghost.fuzz.base", "1").trim());
            return LongStream.range(base, base + Long.parseLong(many.trim()));
        }
        return LongStream.of(DEFAULT_SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void migratesLikeTheNativeAlter(long seed, TestDatabase db) throws Exception {
        FuzzCase fuzzCase = FuzzCase.generate(seed);
        System.out.println("fuzz seed " + seed + ": " + fuzzCase.summary());
        StringBuilder log = new StringBuilder();
        try {
            migrateAndCompare(db, fuzzCase, log);
            System.out.println("fuzz seed " + seed + ": ok " + log);
        } catch (PreflightCheckException refusal) {
            assertNothingLeftBehind(db, fuzzCase, refusal);
            System.out.println("fuzz seed " + seed + ": refused: " + refusal.getMessage());
            Assumptions.abort("refused (" + refusal.check() + "): " + refusal.getMessage() + "\n" + report(fuzzCase, log));
        } catch (Throwable failure) {
            System.out.println("fuzz seed " + seed + ": FAILED " + failure);
            throw new AssertionError(failure.getMessage() + "\n" + report(fuzzCase, log), failure);
        }
    }

    private static void migrateAndCompare(TestDatabase db, FuzzCase fuzzCase, StringBuilder log) throws Exception {
        FuzzTable table = fuzzCase.table();
        db.execute(table.createStatement());
        List<List<String>> keys = fill(db, fuzzCase);
        Path postpone = Files.createTempFile("ghost-fuzz-" + fuzzCase.seed(), ".postpone");
        RandomWriters writers = null;
        RunningMigration migration = null;
        try {
            migration = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                    .database(db.name()).table(table.name()).alter(fuzzCase.alter().sql())
                    .chunkSize(fuzzCase.chunkSize())
                    // The writers stop before the cut-over: a write queued behind its lock lands in the new table
                    // only, and the old one could not be compared with it.
                    .postponeCutoverFlagFile(postpone)
                    .build()
                    .start();
            // The copy is held at first: the writers change rows before the copy reads them, while the binlog
            // is already being replayed; then the copy runs under their writes.
            migration.throttle();
            writers = RandomWriters.start(db, fuzzCase, keys, WRITERS, STATEMENTS_PER_WRITER, WRITER_MILLIS);
            awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
            awaitWrites(writers, WRITES_WHILE_HELD);
            long beforeCopy = writers.statements();
            migration.unthrottle();
            awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(3));
            long duringCopy = writers.statements() - beforeCopy;
            awaitWrites(writers, writers.statements() + WRITES_AFTER_COPY);
            writers.stop();
            log.append("writers: ").append(writers.counts()).append("; ").append(beforeCopy)
                    .append(" statements before the copy, ").append(duringCopy).append(" during it");
            if (!writers.unexpectedErrors().isEmpty()) {
                throw new AssertionError("generator bug: a writer's statement failed: "
                        + writers.unexpectedErrors().get(0));
            }
            migration.unpostponeCutover();
            SchemaChangeResult result = migration.await(Duration.ofMinutes(2));
            log.append("; migration: ").append(result.rowsCopied()).append(" rows copied, ")
                    .append(result.eventsApplied()).append(" events applied");
        } finally {
            if (writers != null) {
                writers.stop();
            }
            if (migration != null && !migration.status().state().isTerminal()) {
                migration.cancel();
                try {
                    migration.await(Duration.ofSeconds(30)); // released before the schema is dropped
                } catch (RuntimeException | java.util.concurrent.TimeoutException expected) {
                    // cancelled: the failure that got us here is the one to report
                }
            }
            Files.deleteIfExists(postpone);
        }
        compare(db, fuzzCase);
    }

    /** Fills the table with the case's rows, in batches; rows whose key is already there are skipped. */
    private static List<List<String>> fill(TestDatabase db, FuzzCase fuzzCase) throws SQLException {
        FuzzTable table = fuzzCase.table();
        List<List<String>> rows = fuzzCase.initialRows();
        List<Integer> keyPositions = keyPositions(table);
        List<List<String>> keys = new ArrayList<>();
        String firstKey = Sql.quote(table.keyColumns().get(0));
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION sql_mode = '" + RandomWriters.SQL_MODE + "', time_zone = '+00:00'");
            for (int start = 0; start < rows.size(); start += 50) {
                List<List<String>> batch = rows.subList(start, Math.min(rows.size(), start + 50));
                statement.execute("INSERT INTO " + Sql.quote(table.name()) + " VALUES "
                        + batch.stream().map(r -> "(" + String.join(", ", r) + ")").collect(Collectors.joining(", "))
                        + " ON DUPLICATE KEY UPDATE " + firstKey + " = " + firstKey);
                for (List<String> row : batch) {
                    keys.add(keyPositions.stream().map(row::get).toList());
                }
            }
        }
        return keys;
    }

    private static List<Integer> keyPositions(FuzzTable table) {
        List<String> names = table.columns().stream().map(FuzzColumn::name).toList();
        return table.keyColumns().stream().map(names::indexOf).toList();
    }

    /** Waits until the writers made {@code statements} statements in all, or ran out of budget or time. */
    private static void awaitWrites(RandomWriters writers, long statements) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (writers.running() && writers.statements() < statements && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Waits for the state; fails at once if the migration failed, and early if the copy stops making progress. */
    private static void awaitState(RunningMigration migration, MigrationState state, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long rowsCopied = -1;
        long progressAt = System.nanoTime();
        while (migration.status().state() != state) {
            if (migration.status().state().isTerminal()) {
                migration.await(); // throws what ended it
                throw new AssertionError("migration ended in " + migration.status().state() + " before " + state);
            }
            if (migration.status().rowsCopied() != rowsCopied) {
                rowsCopied = migration.status().rowsCopied();
                progressAt = System.nanoTime();
            } else if (state == MigrationState.POSTPONED && System.nanoTime() - progressAt > STALL.toNanos()) {
                throw new AssertionError("the copy made no progress for " + STALL + ": " + migration.status());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + state + " within " + timeout + ": " + migration.status());
            }
            Thread.sleep(20);
        }
    }

    /**
     * The expected table is the old one with the same ALTER run natively: it must have the migrated table's columns
     * and indexes, and its rows byte for byte.
     */
    private static void compare(TestDatabase db, FuzzCase fuzzCase) throws SQLException {
        String table = fuzzCase.table().name();
        String old = "_" + table + "_del";
        db.execute("CREATE TABLE " + EXPECTED + " LIKE " + old,
                "INSERT INTO " + EXPECTED + " SELECT * FROM " + old,
                "ALTER TABLE " + EXPECTED + " " + fuzzCase.alter().sql());
        String columnsSql = "SELECT ordinal_position, column_name, column_type, is_nullable, column_default, "
                + "collation_name, column_comment FROM information_schema.columns WHERE table_schema = '"
                + db.name() + "' AND table_name = '%s' ORDER BY ordinal_position";
        assertSame("columns", db.query(columnsSql.formatted(EXPECTED)), db.query(columnsSql.formatted(table)));
        String indexesSql = "SELECT index_name, seq_in_index, column_name, sub_part, non_unique FROM "
                + "information_schema.statistics WHERE table_schema = '" + db.name()
                + "' AND table_name = '%s' ORDER BY index_name, seq_in_index";
        assertSame("indexes", db.query(indexesSql.formatted(EXPECTED)), db.query(indexesSql.formatted(table)));

        List<List<String>> columns = db.query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                + "table_schema = '" + db.name() + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
        List<String> names = columns.stream().map(c -> c.get(0)).toList();
        List<Integer> keyPositions = fuzzCase.table().keyColumns().stream().map(names::indexOf).toList();
        List<List<String>> expected = content(db, EXPECTED, columns, fuzzCase.table());
        List<List<String>> actual = content(db, table, columns, fuzzCase.table());
        ContentComparator.Differences differences = ContentComparator.compare(names, keyPositions, expected, actual, 5);
        if (!differences.none()) {
            throw new AssertionError(differences.count() + " rows differ between the migrated table (" + actual.size()
                    + " rows) and the old table altered natively (" + expected.size() + " rows); the first:\n  "
                    + String.join("\n  ", differences.first()));
        }
        if (expected.isEmpty()) {
            throw new AssertionError("the old table is empty: the case tested nothing");
        }
    }

    private static void assertSame(String what, List<List<String>> expected, List<List<String>> actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("the migrated table's " + what + " differ from the natively altered table's:\n"
                    + "  expected " + expected + "\n  actual   " + actual);
        }
    }

    /**
     * Every column in a byte-exact form: numbers and temporal values as their full text (HEX() would round DECIMAL
     * and FLOAT to integers), everything else through HEX(), in key order.
     */
    private static List<List<String>> content(TestDatabase db, String table, List<List<String>> columns,
                                              FuzzTable fuzzTable) throws SQLException {
        Set<String> textual = Set.of("tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float",
                "double", "year", "date", "time", "datetime", "timestamp");
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            String name = Sql.quote(columns.get(i).get(0));
            String form = textual.contains(columns.get(i).get(1)) ? "CAST(" + name + " AS CHAR)" : "HEX(" + name + ")";
            sql.append(i == 0 ? "" : ", ").append("IF(").append(name).append(" IS NULL, 'NULL', ").append(form)
                    .append(")");
        }
        sql.append(" FROM ").append(Sql.quote(table)).append(" ORDER BY ").append(fuzzTable.keyList());
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00'");
            try (ResultSet rows = statement.executeQuery(sql.toString())) {
                List<List<String>> content = new ArrayList<>();
                while (rows.next()) {
                    List<String> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rows.getString(i));
                    }
                    content.add(row);
                }
                return content;
            }
        }
    }

    /** A refusal must leave the table as it was and nothing of ghost's behind. */
    private static void assertNothingLeftBehind(TestDatabase db, FuzzCase fuzzCase, PreflightCheckException refusal) {
        List<String> tables = db.tables();
        if (!tables.equals(List.of(fuzzCase.table().name()))) {
            throw new AssertionError("after the refusal \"" + refusal.getMessage() + "\" the schema holds " + tables
                    + "\n" + report(fuzzCase, new StringBuilder()));
        }
    }

    /** What a reader needs to understand and replay a seed. */
    static String report(FuzzCase fuzzCase, CharSequence log) {
        String server = System.getProperty("ghost.test.server", "embedded");
        return "seed " + fuzzCase.seed() + ": " + fuzzCase.summary() + "\n"
                + fuzzCase.table().createStatement() + ";\n"
                + "ALTER TABLE " + fuzzCase.table().name() + " " + fuzzCase.alter().sql() + ";\n"
                + (log.length() == 0 ? "" : log + "\n")
                + "replay: mvn -B -o verify -pl ghost-examples -am -Dtest=RandomMigrationIT -Dghost.fuzz.seed="
                + fuzzCase.seed() + (server.equals("embedded") ? "" : " -Dghost.test.server=" + server)
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }
}
