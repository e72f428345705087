package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys whose index order differs from a naive comparison with the bound value: an ENUM sorts by its position in the
 * list, a SET by its bitmask, a BIT by its number, a DECIMAL or BIGINT beyond a double's precision by its exact value,
 * text by its collation. Each migrates a table keyed on such a column first, under concurrent writers, and compares
 * every row byte for byte. Before the walk followed the index's order, the ENUM table of 1,000 rows came out with 4.
 */
@ExtendWith(RealServer.class)
class KeyOrderIT {

    record Case(String name, String keyColumn, List<String> keyValues) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of(new Case("enum", "k ENUM('pending','active','closed','archived') NOT NULL",
                        List.of("'pending'", "'active'", "'closed'", "'archived'"))),
                Arguments.of(new Case("enum with labels out of alphabetical order",
                        "k ENUM('zeta','alpha','Mid','beta') NOT NULL",
                        List.of("'zeta'", "'alpha'", "'Mid'", "'beta'"))),
                Arguments.of(new Case("set", "k SET('x','b','a','c') NOT NULL",
                        List.of("''", "'x'", "'b'", "'a'", "'x,b'", "'a,c'", "'x,b,a,c'", "'c'"))),
                Arguments.of(new Case("bit", "k BIT(5) NOT NULL",
                        List.of("b'0'", "b'1'", "b'10'", "b'111'", "b'10000'", "b'11111'"))),
                Arguments.of(new Case("decimal beyond a double",
                        "k DECIMAL(30,0) NOT NULL",
                        List.of("123456789012345678901234", "123456789012345678901235",
                                "123456789012345678901236", "-1"))),
                Arguments.of(new Case("bigint beyond a double", "k BIGINT UNSIGNED NOT NULL",
                        List.of("18446744073709551614", "18446744073709551615", "9007199254740993",
                                "9007199254740992"))),
                Arguments.of(new Case("latin1 case-insensitive text",
                        "k VARCHAR(8) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL",
                        List.of("'a'", "'B'", "'y'", "'\u00e5'", "'\u00f6'", "'z'", "'_'"))),
                Arguments.of(new Case("binary with trailing zero bytes", "k VARBINARY(8) NOT NULL",
                        List.of("x''", "x'00'", "x'0000'", "x'01'", "x'ff'", "x'ff00'"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void aKeyFirstInTheIndexIsWalkedInTheIndexOrder(Case key, TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (" + key.keyColumn() + ", id INT NOT NULL, v VARCHAR(20) NOT NULL, "
                + "PRIMARY KEY (k, id))");
        int perValue = 1_000 / key.keyValues().size() + 1;
        StringBuilder insert = new StringBuilder("INSERT INTO t (k, id, v) VALUES ");
        int rows = 0;
        for (String value : key.keyValues()) {
            for (int id = 1; id <= perValue; id++) {
                insert.append(rows++ == 0 ? "" : ", ").append('(').append(value).append(", ").append(id)
                        .append(", 'v").append(id).append("')");
            }
        }
        db.execute(insert.toString());

        RunningMigration migration;
        long writes;
        try (StatementWriters writers = StatementWriters.start(db, 2, random -> {
            String value = key.keyValues().get(random.nextInt(key.keyValues().size()));
            int id = 1 + random.nextInt(perValue * 2);
            return switch (random.nextInt(3)) {
                case 0 -> "INSERT IGNORE INTO t (k, id, v) VALUES (" + value + ", " + id + ", 'new')";
                case 1 -> "UPDATE t SET v = CONCAT('u', " + random.nextInt(1000) + ") WHERE k = " + value
                        + " AND id = " + id;
                default -> "DELETE FROM t WHERE k = " + value + " AND id = " + id;
            };
        })) {
            migration = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                    .database(db.name()).table("t").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                    .chunkSize(20)
                    .build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            writes = writers.writes();
        }
        migration.unpostponeCutover();
        migration.await(Duration.ofMinutes(1));

        List<String> columns = List.of("k", "id", "v");
        List<List<String>> before = db.contentOf("_t_del", columns, "k, id");
        assertThat(before).hasSizeGreaterThan(900);
        assertThat(db.contentOf("t", columns, "k, id")).isEqualTo(before);
        assertThat(writes).as("writes during the copy").isPositive();
    }
}
