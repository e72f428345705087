/**
 * A JUnit 5 kit to test a schema change with ghost in a project's own tests, against a real embedded MariaDB:
 * {@link dev.ghost.testkit.GhostTestKit} gives each test a {@link dev.ghost.testkit.SchemaChangeLab} (a fresh
 * schema), which migrates a table while synthetic writers write to it and checks that no row was lost or changed, or
 * asserts that ghost refuses a change.
 *
 * <pre>{@code
 * @ExtendWith(GhostTestKit.class)
 * class OrdersChangeTest {
 *     @Test
 *     void addsNoteOnline(SchemaChangeLab lab) {
 *         lab.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, total DECIMAL(10,2))");
 *         lab.fill("orders", 2_000);
 *         MigrationReport report = lab.migrate("orders", "ADD COLUMN note VARCHAR(64) NULL").withWriters(4).run();
 *         report.assertNoRowLostOrChanged();
 *     }
 * }
 * }</pre>
 */
package dev.ghost.testkit;
