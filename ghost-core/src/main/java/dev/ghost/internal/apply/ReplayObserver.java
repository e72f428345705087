package dev.ghost.internal.apply;

import dev.ghost.spi.BinlogPosition;

import java.time.Duration;

/** What the replay reports as it goes. Called from the replay and event-source threads. */
public interface ReplayObserver {

    /** A batch of row changes was committed to the ghost table. */
    void applied(long rows, BinlogPosition position);

    /** The rows read from the binlog and not applied yet. */
    void backlog(long rows, BinlogPosition streamerPosition);

    /** A heartbeat came back through the binlog, {@code lag} after it was written. */
    void heartbeat(Duration lag);

    /** The replay or the event source failed for good; the migration must stop. */
    void failed(Throwable cause);
}
