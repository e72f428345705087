package dev.ghost.testkit.usage;

import dev.ghost.testkit.GhostTestKit;
import dev.ghost.testkit.MigrationReport;
import dev.ghost.testkit.SchemaChangeLab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Type changes under writers, on a table with every column type the generator makes values for: the writers and the
 * fill must write valid values of each type, and the comparison must find the converted rows equal.
 */
@ExtendWith(GhostTestKit.class)
class TypeChangesKitTest {

    private static final String EVERY_TYPE = "CREATE TABLE items ("
            + "id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
            + "code CHAR(12) CHARACTER SET latin1 NOT NULL, "
            + "name VARCHAR(40) NOT NULL, "
            + "qty INT NOT NULL, "
            + "tiny TINYINT UNSIGNED NULL, small SMALLINT NULL, medium MEDIUMINT NULL, "
            + "big BIGINT UNSIGNED NULL, "
            + "price DECIMAL(10,3) NULL, ratio FLOAT NULL, score DOUBLE NULL, "
            + "flags BIT(5) NULL, born YEAR NULL, "
            + "day DATE NULL, seen DATETIME(3) NULL, stamped TIMESTAMP(6) NULL, took TIME(2) NULL, "
            + "note TEXT NULL, summary TINYTEXT NULL, "
            + "tag BINARY(4) NULL, raw VARBINARY(32) NULL, payload BLOB NULL, "
            + "state ENUM('new','it''s','done') NOT NULL, colours SET('red','green','blue') NULL, "
            + "doc JSON NULL, "
            + "name_length INT AS (CHAR_LENGTH(name)) VIRTUAL, "
            + "UNIQUE KEY uk_code (code))";

    @Test
    void widensAnIntegerUnderWriters(SchemaChangeLab lab) {
        lab.execute(EVERY_TYPE);
        lab.fill("items", 2_000);

        MigrationReport report = lab.migrate("items", "MODIFY qty BIGINT NOT NULL").withWriters(3).run();

        report.assertNoRowLostOrChanged();
        assertTrue(report.writes() > 0, report::toString);
        assertTrue(report.result().eventsApplied() > 0, report::toString);
    }

    @Test
    void widensAVarcharAndDropsAColumnUnderWriters(SchemaChangeLab lab) {
        lab.execute(EVERY_TYPE);
        lab.fill("items", 2_000);

        MigrationReport report = lab.migrate("items", "MODIFY name VARCHAR(80) NOT NULL, DROP COLUMN summary, "
                + "ADD COLUMN added_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)").withWriters(3).run();

        report.assertNoRowLostOrChanged();
        assertTrue(report.writes() > 0, report::toString);
    }

    /** Rows addressed by a composite key of text and by a binary key: the writers' updates and deletes find them. */
    @Test
    void changesTablesKeyedByTextAndBinaryColumnsUnderWriters(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE tags (owner VARCHAR(20) NOT NULL, pos SMALLINT NOT NULL, label VARCHAR(30) NULL, "
                        + "PRIMARY KEY (owner, pos))",
                "CREATE TABLE blobs (hash BINARY(16) NOT NULL PRIMARY KEY, size INT NOT NULL, body BLOB NULL)");
        lab.fill("tags", 1_500);
        lab.fill("blobs", 1_500);

        MigrationReport tags = lab.migrate("tags", "MODIFY label VARCHAR(60) NULL").withWriters(2).run();
        MigrationReport blobs = lab.migrate("blobs", "MODIFY size BIGINT NOT NULL").withWriters(2).run();

        tags.assertNoRowLostOrChanged();
        blobs.assertNoRowLostOrChanged();
        // The report counts writes by kind: updates and deletes only count when the key found a row.
        assertTrue(tags.toString().matches(".*[1-9][0-9]* updates, [1-9][0-9]* deletes.*"), tags::toString);
        assertTrue(blobs.toString().matches(".*[1-9][0-9]* updates, [1-9][0-9]* deletes.*"), blobs::toString);
    }
}
