package dev.ghost.binlog.internal;

import dev.ghost.spi.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Tracks where the stream stands, as the client does for its reconnects, to position and deduplicate rows events.
final class StreamCursor {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCursor.class);

    /*
     * The client resumes after the last event whose header carries its end position (TABLE_MAPs excepted). MariaDB
     * 11.4 leaves that position 0 inside transactions (binlog_legacy_event_pos=OFF): a reconnect there starts over
     * at the transaction's start and re-sends rows events already delivered. Counting the watched rows events
     * delivered since the last known position tells how many of them to drop.
     */

    private String file;
    private long lastKnownEnd = -1;
    private int deliveredSinceKnownEnd;
    private int replayedToDrop;

    /** A ROTATE: a new file, or the first event of a (re)connection, naming where the server starts sending. */
    void onRotate(String newFile, long position) {
        if (newFile.equals(file) && position == lastKnownEnd && deliveredSinceKnownEnd > 0) {
            replayedToDrop = deliveredSinceKnownEnd;
            LOG.info("binlog stream resumed inside a transaction at {}:{}; dropping the {} rows events it sends again",
                    file, position, replayedToDrop);
        } else {
            replayedToDrop = 0;
        }
        file = newFile;
        lastKnownEnd = position;
        deliveredSinceKnownEnd = 0;
    }

    /** After any other event but a TABLE_MAP, with the end position its header gives (0 when the server omits it). */
    void onEventEnd(long nextPosition) {
        if (nextPosition <= 0) {
            return;
        }
        if (replayedToDrop > 0) {
            LOG.warn("binlog stream passed {}:{} with {} re-sent rows events still expected; delivering from here",
                    file, nextPosition, replayedToDrop);
            replayedToDrop = 0;
        }
        lastKnownEnd = nextPosition;
        deliveredSinceKnownEnd = 0;
    }

    /**
     * Called for each rows event of a watched table, before it is delivered.
     *
     * @return false when this event was delivered already, before a reconnect
     */
    boolean isNew() {
        deliveredSinceKnownEnd++;
        if (replayedToDrop > 0) {
            replayedToDrop--;
            return false;
        }
        return true;
    }

    /**
     * The position after an event: its own end when the server logged it, otherwise the last one known, from where
     * a new stream loses nothing (it re-delivers the transaction's earlier rows events).
     */
    BinlogPosition positionAfter(long nextPosition) {
        return positionAfter(nextPosition, null);
    }

    /** The same, with the GTIDs of the transactions delivered completely (null when not tracked). */
    BinlogPosition positionAfter(long nextPosition, String gtidSet) {
        return new BinlogPosition(file, nextPosition > 0 ? nextPosition : lastKnownEnd, gtidSet);
    }
}
