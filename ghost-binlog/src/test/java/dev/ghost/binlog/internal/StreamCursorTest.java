package dev.ghost.binlog.internal;

import dev.ghost.spi.BinlogPosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamCursorTest {

    @Test
    void eventsWithTheirOwnEndPositionNeedNoDropping() {
        StreamCursor cursor = new StreamCursor();
        cursor.onRotate("binlog.000001", 100);
        cursor.onEventEnd(150); // GTID
        assertThat(cursor.isNew()).isTrue();
        assertThat(cursor.positionAfter(200)).isEqualTo(new BinlogPosition("binlog.000001", 200, null));
        cursor.onEventEnd(200);
        // a reconnect resumes at 200: nothing there was delivered before
        cursor.onRotate("binlog.000001", 200);
        assertThat(cursor.isNew()).isTrue();
    }

    @Test
    void aReconnectInsideATransactionDropsExactlyTheRowsEventsDeliveredBefore() {
        StreamCursor cursor = new StreamCursor();
        cursor.onRotate("binlog.000002", 4);
        cursor.onEventEnd(300); // GTID: the transaction starts here; its rows events carry no end position
        assertThat(cursor.isNew()).isTrue();
        assertThat(cursor.positionAfter(0)).isEqualTo(new BinlogPosition("binlog.000002", 300, null));
        cursor.onEventEnd(0);
        assertThat(cursor.isNew()).isTrue();
        cursor.onEventEnd(0);
        // lost; the client resumes at 300, the server sends the transaction again
        cursor.onRotate("binlog.000002", 300);
        cursor.onEventEnd(0); // the format description of the new connection
        assertThat(cursor.isNew()).isFalse();
        cursor.onEventEnd(0);
        assertThat(cursor.isNew()).isFalse();
        cursor.onEventEnd(0);
        assertThat(cursor.isNew()).isTrue();
        cursor.onEventEnd(0);
        cursor.onEventEnd(900); // XID
        assertThat(cursor.isNew()).isTrue();
    }

    @Test
    void aReplayThatEndsEarlyStopsDropping() {
        StreamCursor cursor = new StreamCursor();
        cursor.onRotate("binlog.000001", 4);
        cursor.onEventEnd(300);
        cursor.isNew();
        cursor.isNew();
        cursor.onRotate("binlog.000001", 300);
        assertThat(cursor.isNew()).isFalse();
        cursor.onEventEnd(500); // the stream differs from what was expected: deliver rather than lose
        assertThat(cursor.isNew()).isTrue();
    }

    @Test
    void aNewFileStartsOver() {
        StreamCursor cursor = new StreamCursor();
        cursor.onRotate("binlog.000001", 4);
        cursor.onEventEnd(300);
        cursor.isNew();
        cursor.onRotate("binlog.000002", 4);
        assertThat(cursor.isNew()).isTrue();
        assertThat(cursor.positionAfter(0)).isEqualTo(new BinlogPosition("binlog.000002", 4, null));
    }
}
