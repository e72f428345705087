package dev.ghost.examples;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The migrated table continues the original's AUTO_INCREMENT counter, as gh-ost's does, unless the ALTER sets one. */
@ExtendWith(RealServer.class)
class AutoIncrementIT {

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter(alter).chunkSize(10).okToDropTable(true);
    }

    /** Rows 21 to 30 were deleted: a new row must not get id 21 again, as a copy alone would give it. */
    @Test
    void theCounterSurvivesTheDeletionOfTheHighestRows(TestDatabase db) {
        tableWithDeletedTail(db);
        long before = counter(db);
        List<List<String>> content = db.contentOf("t", "id");
        assertThat(before).isEqualTo(31);
        migrate(db, "ADD COLUMN extra INT NULL").build().run();
        assertThat(counter(db)).isEqualTo(before);
        assertThat(db.contentOf("t", List.of("id", "v"), "id")).isEqualTo(content);
        db.execute("INSERT INTO t (v) VALUES ('new')");
        assertThat(db.query("SELECT id FROM t WHERE v = 'new'")).containsExactly(List.of("31"));
    }

    @Test
    void anAlterThatSetsItsOwnCounterWins(TestDatabase db) {
        tableWithDeletedTail(db);
        migrate(db, "ADD COLUMN extra INT NULL, AUTO_INCREMENT=500").build().run();
        assertThat(counter(db)).isEqualTo(500);
    }

    private static void tableWithDeletedTail(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10) NOT NULL)");
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            rows.append(i == 1 ? "" : ", ").append("('v").append(i).append("')");
        }
        db.execute("INSERT INTO t (v) VALUES " + rows, "DELETE FROM t WHERE id > 20");
    }

    /** From SHOW CREATE TABLE: exact on every server (information_schema may be cached on MySQL 8). */
    private static long counter(TestDatabase db) {
        String create = db.query("SHOW CREATE TABLE t").get(0).get(1);
        Matcher option = Pattern.compile("\\) .*\\bAUTO_INCREMENT=(\\d+)").matcher(create);
        assertThat(option.find()).as(create).isTrue();
        return Long.parseLong(option.group(1));
    }
}
