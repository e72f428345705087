package dev.ghost.internal.copy;

import dev.ghost.ServerAddress;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.CopyContext;
import dev.ghost.spi.CopyPlan;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServer.class)
class ChunkedRowCopierIT {

    @Test
    void copiesEveryRowOverACompositeTextKeyInChunks(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (region VARCHAR(8) CHARACTER SET latin1 NOT NULL, id INT NOT NULL, "
                        + "at DATETIME(6) NULL, amount DECIMAL(12,3), note TEXT, PRIMARY KEY (region, id))",
                "INSERT INTO t SELECT ELT(1 + seq % 3, 'eu', 'us', 'äp'), seq, "
                        + "'2024-01-01 00:00:00.000001' + INTERVAL seq SECOND, seq / 7, "
                        + "IF(seq % 5 = 0, NULL, CONCAT('n\\'', seq, ' 😀')) FROM seq_1_to_2500",
                "CREATE TABLE _t_gho LIKE t");
        CopyPlan plan = new CopyPlan(new TableName(db.name(), "t"), new TableName(db.name(), "_t_gho"), "PRIMARY",
                List.of("region", "id"), List.of("region", "id", "at", "amount", "note"),
                List.of("region", "id", "at", "amount", "note"));
        AtomicInteger chunks = new AtomicInteger();
        AtomicLong copied = new AtomicLong();
        new ChunkedRowCopier().copyRows(context(db, plan, 97, chunks, copied));

        assertThat(copied.get()).isEqualTo(2500);
        assertThat(chunks.get()).isBetween(2500 / 97, 2500 / 97 + 1);
        assertThat(db.contentOf("_t_gho", "region, id")).isEqualTo(db.contentOf("t", "region, id"));
    }

    @Test
    void emptyTableCopiesNothing(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE _t_gho LIKE t");
        CopyPlan plan = new CopyPlan(new TableName(db.name(), "t"), new TableName(db.name(), "_t_gho"), "PRIMARY",
                List.of("id"), List.of("id"), List.of("id"));
        AtomicInteger chunks = new AtomicInteger();
        new ChunkedRowCopier().copyRows(context(db, plan, 10, chunks, new AtomicLong()));
        assertThat(chunks.get()).isZero();
    }

    private static CopyContext context(TestDatabase db, CopyPlan plan, int chunkSize, AtomicInteger chunks,
                                       AtomicLong copied) {
        ServerConnections connections = new ServerConnections(
                ServerAddress.of(db.server().host(), db.server().port()), db.server().user(), db.server().password(), db.name());
        return new CopyContext() {
            @Override
            public CopyPlan plan() {
                return plan;
            }

            @Override
            public Connection openConnection() throws SQLException {
                return connections.open();
            }

            @Override
            public int chunkSize() {
                return chunkSize;
            }

            @Override
            public void awaitPermissionToCopy() {
            }

            @Override
            public void chunkCopied(long rowsInserted, long rowsRead) {
                chunks.incrementAndGet();
                copied.addAndGet(rowsInserted);
            }
        };
    }
}
