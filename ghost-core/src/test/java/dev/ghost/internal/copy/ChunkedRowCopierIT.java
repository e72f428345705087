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

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    /**
     * gh-ost #1669: paging a composite key with row constructors ({@code (a, b) > (?, ?)}) scans the table, since
     * MariaDB does not range-optimize them. The walk's and the copy's bounds must be index ranges on both columns.
     */
    @Test
    void compositeKeyBoundsAreIndexRanges(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (tenant VARCHAR(32) NOT NULL, id INT NOT NULL, v CHAR(100), "
                        + "PRIMARY KEY (tenant, id))",
                "INSERT INTO t SELECT CONCAT('tenant-', LPAD(seq % 16, 2, '0')), seq, 'x' FROM seq_1_to_20000",
                "CREATE TABLE _t_gho LIKE t", "ANALYZE TABLE t");
        CopyPlan plan = new CopyPlan(new TableName(db.name(), "t"), new TableName(db.name(), "_t_gho"), "PRIMARY",
                List.of("tenant", "id"), List.of("tenant", "id", "v"), List.of("tenant", "id", "v"));
        ChunkSql sql = new ChunkSql(plan, new KeyBounds(List.of(new KeyColumn("tenant", KeyColumn.Kind.TEXT, 0),
                new KeyColumn("id", KeyColumn.Kind.NUMBER, 0))));
        Object[] start = {"tenant-03", new BigDecimal(5000)};
        Object[] end = {"tenant-05", new BigDecimal(777)};
        for (ChunkSql.Statement statement : List.of(sql.chunkEnd(start, false, end, 99),
                sql.copyChunk(start, false, end))) {
            try (Connection connection = db.connect();
                 PreparedStatement explain = connection.prepareStatement("EXPLAIN " + statement.sql())) {
                KeyBounds.bind(explain, statement.values());
                try (ResultSet row = explain.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString("type")).as(statement.sql()).isEqualTo("range");
                    assertThat(row.getString("key")).isEqualTo("PRIMARY");
                    // both key parts bound the range: 32 characters of utf8mb4 with a length, and the INT
                    assertThat(row.getInt("key_len")).isEqualTo(32 * 4 + 2 + 4);
                }
            }
        }
    }

    @Test
    void mariaDbTellsItsCoresForTheAutomaticCopyThreads(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            assertThat(CopyThreads.serverCores(connection)).hasValue(Runtime.getRuntime().availableProcessors());
            assertThat(CopyThreads.automatic(connection))
                    .isEqualTo(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 4)));
        }
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
