package dev.ghost.examples.flyway.db;

// region migration
import dev.ghost.OnlineSchemaChange;
import dev.ghost.flyway.OnlineAlterMigration;
import dev.ghost.spi.ThrottlePolicy;

/** Flyway runs this like any migration; ghost alters the table online while the application keeps writing. */
public class V2__Add_note_to_orders extends OnlineAlterMigration {

    public V2__Add_note_to_orders() {
        super("orders", "ADD COLUMN note VARCHAR(255) CHARACTER SET utf8mb4 NULL, ADD INDEX idx_created (created)");
    }

    @Override
    protected void configure(OnlineSchemaChange.Builder ghost) {
        // Optional: ghost's settings for this table, when its defaults do not fit.
        ghost.chunkSize(100)
                .throttlePolicy(ThrottlePolicy.maxLoad("Threads_running=25"));
    }
}
// endregion migration
