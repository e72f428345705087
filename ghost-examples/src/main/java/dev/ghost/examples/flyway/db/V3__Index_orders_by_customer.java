package dev.ghost.examples.flyway.db;

// region helper
import dev.ghost.flyway.GhostFlyway;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.SQLException;

/** Any Java migration can alter a table online with the helper, among other work of its own. */
public class V3__Index_orders_by_customer extends BaseJavaMigration {

    @Override
    public boolean canExecuteInTransaction() {
        return false; // ghost works on connections of its own, outside Flyway's transaction
    }

    @Override
    public void migrate(Context context) throws SQLException {
        GhostFlyway.alterOnline(context, "orders", "ADD INDEX idx_customer (customer)",
                ghost -> ghost.chunkSize(100));
    }
}
// endregion helper
