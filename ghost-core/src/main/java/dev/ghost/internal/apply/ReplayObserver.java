package dev.ghost.internal.apply;

import dev.ghost.spi.BinlogPosition;

import java.time.Duration;

/** What the replay reports as it goes. Called from the replay and event-source threads. */
public interface ReplayObserver {

    /** A round of changed keys was committed to the ghost table; {@code rows}: the binlog row changes it stands for. */
    void applied(long rows);

    /** The changed keys read from the binlog and not applied yet. */
    void backlog(long keys, BinlogPosition streamerPosition);

    /** A heartbeat came back through the binlog, {@code lag} after it was written. */
    void heartbeat(Duration lag);

    /** The replay or the event source failed for good; the migration must stop. */
    void failed(Throwable cause);
}
