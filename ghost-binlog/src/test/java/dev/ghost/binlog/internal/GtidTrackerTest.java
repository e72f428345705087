package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class GtidTrackerTest {

    private static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void tracksNothingWithoutAStartSet() {
        assertThat(GtidTracker.startingAt(null)).isNull();
        assertThat(GtidTracker.startingAt(" ")).isNull();
    }

    @Test
    void aMySqlTransactionCountsOnceTheNextOneStarts() {
        GtidTracker tracker = GtidTracker.startingAt(UUID_A + ":1-5");
        assertThat(tracker.isMariaDb()).isFalse();
        tracker.onTransactionStart(new MySqlGtid(UUID.fromString(UUID_A), 6));
        assertThat(tracker.completed()).isEqualTo(UUID_A + ":1-5");
        tracker.onTransactionStart(new MySqlGtid(UUID.fromString(UUID_A), 7));
        assertThat(tracker.completed()).isEqualTo(UUID_A + ":1-6");
    }

    @Test
    void aMariaDbPositionKeepsTheLastTransactionOfEachDomain() {
        GtidTracker tracker = GtidTracker.startingAt("0-1-42,1-2-7");
        assertThat(tracker.isMariaDb()).isTrue();
        tracker.onTransactionStart(new MariadbGtidSet.MariaGtid(0, 1, 43));
        tracker.onTransactionStart(new MariadbGtidSet.MariaGtid(1, 3, 8));
        assertThat(tracker.completed()).isEqualTo("0-1-43,1-2-7");
        tracker.onTransactionStart(new MariadbGtidSet.MariaGtid(0, 1, 44));
        assertThat(tracker.completed()).isEqualTo("0-1-43,1-3-8");
    }
}
