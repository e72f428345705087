package dev.ghost;

import java.util.Objects;

/**
 * The binlog cannot be read, for a reason that retrying does not fix. The message says what to do; {@link #reason()}
 * lets a caller react without parsing it.
 */
public class BinlogStreamException extends GhostException {

    /** Why the binlog cannot be read. */
    public enum Reason {
        /** The start position's binlog file is gone from the server (purged, or never existed). */
        BINLOG_PURGED,
        /** The user lacks REPLICATION SLAVE (to read the binlog) or REPLICATION CLIENT (to ask for its position). */
        MISSING_PRIVILEGE,
        /** The server writes no binlog (log_bin is off). */
        BINLOG_OFF,
        /** The server logs statements, not rows (binlog_format is not ROW). */
        NOT_ROW_FORMAT
    }

    /** Why the stream stopped; never null. */
    private final Reason reason;

    /**
     * Creates the exception an event source throws when the binlog cannot be read.
     *
     * @param reason why the binlog cannot be read, for callers that react to it
     * @param message what failed and what to do about it
     * @param cause the event source's or the server's error, or null
     */
    public BinlogStreamException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the binlog cannot be read.
     *
     * @return why the binlog cannot be read
     */
    public Reason reason() {
        return reason;
    }
}
