package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import com.github.shyiko.mysql.binlog.network.protocol.command.DumpBinaryLogCommand;
import com.github.shyiko.mysql.binlog.network.protocol.command.DumpBinaryLogGtidCommand;
import com.github.shyiko.mysql.binlog.network.protocol.command.QueryCommand;

import java.io.IOException;
import java.util.function.Supplier;

// A client that asks for the stream by GTID until it knows a file and offset, and by file and offset after that.
final class GtidStartClient extends BinaryLogClient {

    /*
     * The client's own GTID mode would also reconnect by GTID, at the start of the transaction under way, which the
     * stream cursor's deduplication by file position cannot recognise. So only the dump request is taken over: by
     * GTID while the stream has not passed a transaction start with a known end position (start, or a loss
     * before that), then by the file and offset the client tracks, exactly as without a GTID.
     */

    private final Supplier<String> gtidToRequest;
    private volatile boolean positioned;

    /** @param gtidToRequest the GTID set or MariaDB GTID position of what was delivered, asked at each connection */
    GtidStartClient(String host, int port, String user, String password, Supplier<String> gtidToRequest) {
        super(host, port, user, password);
        this.gtidToRequest = gtidToRequest;
    }

    /** The stream has passed a transaction's start with a known end: file and offset resume it from now on. */
    void positioned() {
        positioned = true;
    }

    @Override
    protected void requestBinaryLogStream() throws IOException {
        if (positioned) {
            super.requestBinaryLogStream();
            return;
        }
        String gtids = gtidToRequest.get();
        long serverId = isBlocking() ? getServerId() : 0;
        boolean mariaDbSet = MariadbGtidSet.isMariaGtidSet(gtids);
        if (Boolean.TRUE.equals(getMariaDB())) {
            if (!mariaDbSet) {
                throw new IOException("the server is MariaDB but the start position " + gtids
                        + " is not a MariaDB GTID position (domain-server-sequence)");
            }
            query("SET @mariadb_slave_capability=" + getMariaDbSlaveCapability());
            query("SET @slave_connect_state = '" + gtids + "'");
            query("SET @slave_gtid_strict_mode = 0");
            query("SET @slave_gtid_ignore_duplicates = 0");
            channel.write(new DumpBinaryLogCommand(serverId, "", 0L, isUseSendAnnotateRowsEvent()));
        } else {
            if (mariaDbSet) {
                throw new IOException("the server is MySQL but the start position " + gtids + " is a MariaDB one");
            }
            channel.write(new DumpBinaryLogGtidCommand(serverId, "", 4, new GtidSet(gtids)));
        }
    }

    private void query(String sql) throws IOException {
        channel.write(new QueryCommand(sql));
        checkError(channel.read());
    }
}
