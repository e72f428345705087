package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.ghost.BinlogStreamException;
import dev.ghost.BinlogStreamException.Reason;

import java.sql.SQLException;
import java.util.Locale;

// Turns the server errors that retrying cannot fix into a BinlogStreamException that says what to do.
final class BinlogFailures {

    /** ER_MASTER_FATAL_ERROR_READING_BINLOG: the dump cannot go on from the requested position. */
    static final int FATAL_BINLOG_READ_ERROR = 1236;
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR: e.g. "you need ... the REPLICATION SLAVE privilege". */
    private static final int SPECIFIC_ACCESS_DENIED = 1227;

    private BinlogFailures() {
    }

    /** The typed exception for a failure of the binlog connection, or the failure itself when it is not one. */
    static Throwable classify(Throwable failure, String server, String user, Object position) {
        int code = failure instanceof ServerException s ? s.getErrorCode()
                : failure instanceof SQLException s ? s.getErrorCode() : 0;
        String message = String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (code == SPECIFIC_ACCESS_DENIED) {
            return new BinlogStreamException(Reason.MISSING_PRIVILEGE, "the user " + user + " may not read the binlog "
                    + "of " + server + " (" + message + "): GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO "
                    + "that user (MariaDB 10.5+: also BINLOG MONITOR), or connect as a user who has them", failure);
        }
        if (code == FATAL_BINLOG_READ_ERROR && (lower.contains("could not find first log file")
                || lower.contains("purged") || lower.contains("could not find next log")
                || lower.contains("could not open log file"))) {
            return new BinlogStreamException(Reason.BINLOG_PURGED, "the binlog at " + position + " is no longer on "
                    + server + " (" + message + "): start from a position the server still has (SHOW BINARY LOGS) "
                    + "and copy again, and keep binlogs longer (binlog_expire_logs_seconds, expire_logs_days)",
                    failure);
        }
        return failure;
    }

    static BinlogStreamException binlogOff(String server) {
        return new BinlogStreamException(Reason.BINLOG_OFF, server + " writes no binlog: start it with log_bin "
                + "(and binlog_format=ROW, binlog_row_image=FULL), or read the binlog of a replica that writes one",
                null);
    }

    static BinlogStreamException notRowFormat(String server, String format) {
        return new BinlogStreamException(Reason.NOT_ROW_FORMAT, server + " logs with binlog_format=" + format
                + ", which holds statements, not row images: SET GLOBAL binlog_format = 'ROW' (and in the "
                + "server's configuration), then reconnect the applications so that their sessions use it", null);
    }
}
