package dev.ghost.internal.table;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** ENUM and SET labels with 4-byte characters, which information_schema (utf8mb3) turns into '?'. */
@ExtendWith(RealServer.class)
class EnumLabelsIT {

    @Test
    void labelsKeepTheirEmoji(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, `e``x` ENUM('a','😀','it''s','?') CHARACTER SET utf8mb4, "
                + "s SET('😀','b') CHARACTER SET utf8mb4, l ENUM('x','y') CHARACTER SET latin1)");
        try (Connection connection = db.connect()) {
            var columns = TableInspector.inspect(connection, new TableName(db.name(), "t")).orElseThrow()
                    .schema().columns();
            assertThat(columns).extracting(ColumnSchema::columnType).containsExactly("int(11)",
                    "enum('a','😀','it''s','?')", "set('😀','b')", "enum('x','y')");
        }
    }

    @Test
    void countsLabels() {
        assertThat(TableInspector.labelCount("enum('a)','b\\\\''c','')")).isEqualTo(3);
        assertThat(TableInspector.labelCount("set('?')")).isEqualTo(1);
    }
}
