package dev.ghost.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit used as a user would: through the extension, on the shared test server. */
// region kit-test
@ExtendWith(GhostTestKit.class)
class SchemaChangeKitTest {

    @Test
    void addsAColumnOnlineWithoutLosingARow(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(40) NOT NULL, "
                + "total DECIMAL(12,2) NULL, placed DATETIME(6) NOT NULL, status ENUM('new','paid','sent') NOT NULL)");
        lab.fill("orders", 3_000);

        MigrationReport report = lab.migrate("orders", "ADD COLUMN note VARCHAR(64) NULL")
                .withWriters(4)
                .configure(ghost -> ghost.chunkSize(100))
                .run();

        report.assertNoRowLostOrChanged();
        assertTrue(report.writes() > 0, report::toString);
        assertTrue(report.cutoverLockTime().toMillis() < 1_000, report::toString);
    }

    @Test
    void refusesATableWithoutAUniqueKey(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE logs (msg TEXT)");

        lab.assertRefused("logs", "ADD COLUMN level INT").withReasonContaining("no PRIMARY nor UNIQUE key");
    }
}
// endregion kit-test
