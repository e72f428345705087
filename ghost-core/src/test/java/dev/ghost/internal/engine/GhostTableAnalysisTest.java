package dev.ghost.internal.engine;

import dev.ghost.internal.engine.GhostTableAnalysis.ResultRow;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How ANALYZE TABLE's result rows are read, and the small decisions of the ALGORITHM=INSTANT attempt. The rows below
 * are the ones MariaDB returns (see AnalyzeBeforeCutoverIT for the lock-wait one provoked on a real server); a missing table
 * or an engine error cannot be provoked on a live ghost table, so they are checked here.
 */
class GhostTableAnalysisTest {

    @Test
    void acceptsStatusOk() {
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow("status", "OK")))).isEmpty();
        // engine-independent statistics add a status row of their own
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow("status", "Engine-independent statistics "
                + "collected"), new ResultRow("status", "OK")))).isEmpty();
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow("note", "something"),
                new ResultRow("Status", "ok")))).isEmpty();
    }

    @Test
    void refusesErrorRowsEvenWithAStatus() {
        assertThat(GhostTableAnalysis.failure(List.of(
                new ResultRow("Error", "Lock wait timeout exceeded; try restarting transaction"),
                new ResultRow("status", "Operation failed"))))
                .contains("Lock wait timeout exceeded; try restarting transaction");
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow("Error", "Table 'd._t_gho' doesn't exist"),
                new ResultRow("error", "Corrupt"), new ResultRow("status", "OK"))))
                .contains("Table 'd._t_gho' doesn't exist; Corrupt");
    }

    @Test
    void failsClosedWithoutStatusOk() {
        assertThat(GhostTableAnalysis.failure(List.of())).contains("it returned no result");
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow("status", "Operation failed"))))
                .hasValueSatisfying(why -> assertThat(why).contains("no status OK", "Operation failed"));
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow("status", "Table is already up to date"))))
                .isPresent();
        assertThat(GhostTableAnalysis.failure(List.of(new ResultRow(null, null)))).isPresent();
    }

    @Test
    void analyzesTheGhostTableByItsQualifiedName() {
        assertThat(GhostTableAnalysis.statement(new TableName("shop", "_orders_gho")))
                .isEqualTo("ANALYZE TABLE `shop`.`_orders_gho`");
    }

    @Test
    void asksForAlgorithmInstantOnTheGivenTable() {
        assertThat(InstantDdl.statement(new TableName("shop", "orders"), "ADD COLUMN c INT"))
                .isEqualTo("ALTER TABLE `shop`.`orders` ADD COLUMN c INT, ALGORITHM=INSTANT");
    }

    @Test
    void retriesOnlyLockWaitsAndStopsOnALostConnection() {
        assertThat(InstantDdl.isLockWait(new SQLException("Lock wait timeout exceeded", "HY000", 1205))).isTrue();
        assertThat(InstantDdl.isLockWait(new SQLException("ALGORITHM=INSTANT is not supported", "0A000", 1846)))
                .isFalse();
        assertThat(InstantDdl.connectionLost(new SQLNonTransientConnectionException("gone", "08S01"))).isTrue();
        assertThat(InstantDdl.connectionLost(new SQLException("not supported", "0A000", 1845))).isFalse();
        assertThat(InstantDdl.connectionLost(new SQLException("no state"))).isFalse();
    }

    @Test
    void waitsForTheMetadataLockAsLongAsTheCutoverLock() {
        assertThat(InstantDdl.lockWaitSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(InstantDdl.lockWaitSeconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(InstantDdl.lockWaitSeconds(Duration.ofMillis(100))).isEqualTo(1);
    }
}
