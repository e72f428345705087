package dev.ghost.testkit.internal;

import dev.ghost.testkit.GhostTestKit;
import dev.ghost.testkit.SchemaChangeLab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A seed replays the generated values: the same source fills two tables alike, another source differently. */
@ExtendWith(GhostTestKit.class)
class SeededValuesTest {

    private static final String COLUMNS = "(id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, "
            + "amount DECIMAL(12,3) NULL, seen DATETIME(6) NOT NULL, kind ENUM('a','b','c') NOT NULL, "
            + "data VARBINARY(32) NULL, token UUID NULL)";

    @Test
    void theSameSeedFillsTheSameValues(SchemaChangeLab lab) throws Exception {
        lab.execute("CREATE TABLE a " + COLUMNS, "CREATE TABLE b " + COLUMNS, "CREATE TABLE c " + COLUMNS);
        try (Connection connection = lab.connect()) {
            TableFiller.fill(connection, TableShape.read(connection, lab.schema(), "a"), 300, new Random(42));
            TableFiller.fill(connection, TableShape.read(connection, lab.schema(), "b"), 300, new Random(42));
            TableFiller.fill(connection, TableShape.read(connection, lab.schema(), "c"), 300, new Random(43));
        }
        String content = "SELECT id, HEX(name), amount, seen, kind, HEX(data), token FROM %s ORDER BY id";
        assertEquals(lab.query(String.format(content, "a")), lab.query(String.format(content, "b")));
        assertNotEquals(lab.query(String.format(content, "a")), lab.query(String.format(content, "c")));
    }
}
