package dev.ghost.spi;

/**
 * A point in the binlog: file and offset, plus the executed GTID set where the server has one.
 *
 * @param file   binlog file name, e.g. {@code binlog.000003}; null for a start position given by GTIDs alone
 * @param offset byte offset in that file
 * @param gtidSet GTID set or MariaDB GTID position, or null when not used
 */
public record BinlogPosition(String file, long offset, String gtidSet) {

    @Override
    public String toString() {
        if (file == null && gtidSet != null && !gtidSet.isEmpty()) {
            return "GTID " + gtidSet;
        }
        return file + ":" + offset + (gtidSet == null || gtidSet.isEmpty() ? "" : " (" + gtidSet + ")");
    }
}
