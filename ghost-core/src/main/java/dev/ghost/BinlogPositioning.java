package dev.ghost;

/**
 * How the binlog reader says where its stream starts (gh-ost's {@code --gtid}). Either way it starts at the server's
 * current position, before the first row is copied, and misses nothing after it.
 */
public enum BinlogPositioning {

    /** The current binlog file and byte offset ({@code SHOW MASTER STATUS}). The default; needs no GTIDs. */
    FILE_OFFSET,

    /**
     * The server's GTID position: after every transaction of {@code @@gtid_executed} (MySQL) or
     * {@code @@gtid_binlog_pos} (MariaDB), as a GTID replica asks for its stream. MySQL must run with
     * {@code gtid_mode=ON} and {@code enforce_gtid_consistency=ON}, or the pre-flight check {@code gtid} refuses the
     * migration; MariaDB always records GTIDs in its binlog. Once the stream has passed its first transaction, a
     * reconnection resumes at the file and offset read so far, which names the same place.
     */
    GTID
}
