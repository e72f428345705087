package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;

// Knows the GTIDs of the transactions the stream has delivered completely, to put them into delivered positions.
final class GtidTracker {

    /*
     * A transaction's GTID event opens it; the next GTID event can only come once it committed, so a transaction
     * counts as complete when the next one starts. Rows events inside a transaction thus carry the set without it:
     * resuming there delivers that transaction again from its start, and never skips a row.
     */

    /** Written by the reader thread only. */
    private final GtidSet completed;
    private Object pending;
    /** Also read by the thread that reconnects by GTID. */
    private volatile String completedText;

    private GtidTracker(GtidSet completed, String text) {
        this.completed = completed;
        this.completedText = text;
    }

    /** Null when the stream has no GTID set to start from: its positions then carry none. */
    static GtidTracker startingAt(String gtidSet) {
        if (gtidSet == null || gtidSet.isBlank()) {
            return null;
        }
        String trimmed = gtidSet.replace("\n", "").trim();
        GtidSet set = MariadbGtidSet.isMariaGtidSet(trimmed) ? new MariadbGtidSet(trimmed) : new GtidSet(trimmed);
        return new GtidTracker(set, set.toString());
    }

    boolean isMariaDb() {
        return completed instanceof MariadbGtidSet;
    }

    /** A GTID event: the transaction before it is complete, this one is under way. */
    void onTransactionStart(Object gtid) {
        commitPending();
        pending = gtid;
    }

    private void commitPending() {
        if (pending != null) {
            completed.addGtid(pending);
            completedText = completed.toString();
            pending = null;
        }
    }

    /** The GTID set or MariaDB GTID position of the transactions delivered completely. */
    String completed() {
        return completedText;
    }
}
