package dev.ghost.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServer.class)
class ServerSmokeTest {

    @Test
    void serverHasRowBinlogWithFullImages(TestDatabase db) {
        assertThat(db.query("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@server_id").get(0))
                .containsExactly("1", "ROW", "FULL", "1");
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t VALUES (1, 'a')");
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", "id")).containsExactly(java.util.List.of("1", "61"));
    }
}
