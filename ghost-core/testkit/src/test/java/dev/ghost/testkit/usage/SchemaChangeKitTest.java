package dev.ghost.testkit.usage;

// region kit-test
import dev.ghost.testkit.GhostTestKit;
import dev.ghost.testkit.MigrationReport;
import dev.ghost.testkit.SchemaChangeLab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(GhostTestKit.class)
class SchemaChangeKitTest {

    @Test
    void addsAColumnOnlineWithoutLosingARow(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(40) NOT NULL, "
                + "total DECIMAL(12,2) NULL, placed DATETIME(6) NOT NULL, status ENUM('new','paid','sent') NOT NULL)");
        lab.fill("orders", 3_000);                                  // rows of generated values

        MigrationReport report = lab.migrate("orders", "ADD COLUMN note VARCHAR(64) NULL")
                .withWriters(4)                                     // inserts, updates, deletes during the copy
                .configure(ghost -> ghost.chunkSize(100))           // any OnlineSchemaChange.Builder setting
                .run();                                             // fails the test if ghost fails

        report.assertNoRowLostOrChanged();                          // byte-exact, independent of ghost
        assertTrue(report.writes() > 0, report::toString);
        assertTrue(report.cutoverLockTime().toMillis() < 1_000, report::toString);
    }

    @Test
    void refusesATableWithoutAUniqueKey(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE logs (msg TEXT)");

        lab.assertRefused("logs", "ADD COLUMN level INT")          // passes only if ghost refuses, changing nothing
                .withReasonContaining("no PRIMARY nor UNIQUE key");
    }
}
// endregion kit-test
