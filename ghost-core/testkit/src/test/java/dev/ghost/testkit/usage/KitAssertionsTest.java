package dev.ghost.testkit.usage;

import dev.ghost.testkit.GhostTestKit;
import dev.ghost.testkit.MigrationReport;
import dev.ghost.testkit.Refusal;
import dev.ghost.testkit.SchemaChangeLab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's assertions fail when they should, with messages that say why. */
@ExtendWith(GhostTestKit.class)
class KitAssertionsTest {

    private static void ordersWithRows(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(40) NOT NULL, "
                + "total DECIMAL(12,2) NULL, payload VARBINARY(16) NULL)");
        lab.fill("orders", 1_000);
    }

    @Test
    void theComparisonFindsChangedValues(SchemaChangeLab lab) {
        ordersWithRows(lab);
        lab.execute("UPDATE orders SET customer = 'müller' WHERE id = 7",
                "UPDATE orders SET total = 12.34 WHERE id = 8");
        MigrationReport report = lab.migrate("orders", "ADD COLUMN note TEXT NULL").run();
        // 'Müller' equals 'müller' in the column's case-insensitive collation: only a byte-exact check sees it.
        lab.execute("UPDATE orders SET customer = 'Müller' WHERE id = 7");
        // HEX() of a DECIMAL is the hex of its rounded integer (12 either way): decimals are compared by value.
        lab.execute("UPDATE orders SET total = 12.35 WHERE id = 8");

        AssertionError failure = assertThrows(AssertionError.class, report::assertNoRowLostOrChanged);

        assertTrue(failure.getMessage().contains("2 row(s) changed, e.g. id=7: customer: expected 'müller' "
                + "(0x6DC3BC6C6C6572) but found 'Müller' (0x4DC3BC6C6C6572) | id=8: total: expected 12.34 but found "
                + "12.35"), failure::getMessage);
        // The seed of the generated values, to run the test again with them.
        assertTrue(failure.getMessage().contains("-Dghost.testkit.seed=" + lab.seed()), failure::getMessage);
        assertTrue(report.toString().endsWith("seed " + lab.seed()), report::toString);
    }

    @Test
    void theComparisonFindsALostAndAnAddedRow(SchemaChangeLab lab) {
        ordersWithRows(lab);
        MigrationReport report = lab.migrate("orders", "ADD COLUMN note TEXT NULL").run();
        long id = Long.parseLong(lab.query("SELECT MIN(id) FROM orders").get(0).get(0));
        lab.execute("DELETE FROM orders WHERE id = " + id,
                "INSERT INTO orders (id, customer) VALUES (999999, 'not in the original')");

        AssertionError failure = assertThrows(AssertionError.class, report::assertNoRowLostOrChanged);

        assertTrue(failure.getMessage().contains("1 row(s) lost, e.g. id=" + id), failure::getMessage);
        assertTrue(failure.getMessage().contains("1 row(s) that the original did not have, e.g. id=999999"),
                failure::getMessage);
    }

    @Test
    void theComparisonDoesNotTrustGhostWhenItWasToldToAcceptALoss(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(32) NOT NULL)",
                "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x'), (3, 'a@x')");
        MigrationReport report = lab.migrate("users", "ADD UNIQUE KEY uk_email (email)")
                .configure(ghost -> ghost.panicOnWarnings(false)).run();

        AssertionError failure = assertThrows(AssertionError.class, report::assertNoRowLostOrChanged);

        assertTrue(failure.getMessage().contains("Duplicate entry 'a@x'"), failure::getMessage);
    }

    @Test
    void aChangeGhostAcceptsFailsAssertRefused(SchemaChangeLab lab) {
        ordersWithRows(lab);

        AssertionError failure = assertThrows(AssertionError.class,
                () -> lab.assertRefused("orders", "ADD COLUMN note TEXT NULL"));

        assertTrue(failure.getMessage().startsWith("expected ghost to refuse ALTER TABLE `orders` ADD COLUMN note"),
                failure::getMessage);
    }

    @Test
    void aRefusalExposesGhostsReasonAndCheck(SchemaChangeLab lab) {
        lab.execute("CREATE TABLE logs (msg TEXT)");

        Refusal refusal = lab.assertRefused("logs", "ADD COLUMN level INT");

        assertEquals("unique-key", refusal.check().orElseThrow());
        assertThrows(AssertionError.class, () -> refusal.withReasonContaining("something ghost did not say"));
        assertEquals(java.util.List.of("logs"), lab.query("SHOW TABLES").stream().map(r -> r.get(0)).toList());
    }

    @Test
    void aMigrationThatFailsFailsTheTestWithGhostsReason(SchemaChangeLab lab) {
        ordersWithRows(lab);

        AssertionError failure = assertThrows(AssertionError.class,
                () -> lab.migrate("orders", "ADD COLUMN customer INT").withWriters(1).run());

        assertTrue(failure.getMessage().startsWith("ALTER TABLE `orders` ADD COLUMN customer INT failed (seed "
                + lab.seed() + "): "),
                failure::getMessage);
        assertTrue(failure.getMessage().contains("Duplicate column name 'customer'"), failure::getMessage);
    }
}
