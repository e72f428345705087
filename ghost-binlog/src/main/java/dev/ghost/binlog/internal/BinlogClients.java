package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.SocketFactory;
import dev.ghost.Tls;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSourceContext;

// The one place that configures a BinaryLogClient: who we are to the server, where we start, how we stay connected.
final class BinlogClients {

    private BinlogClients() {
    }

    /**
     * @param gtids null to start at the file and offset of {@code startAt}; otherwise the delivered GTIDs, from which
     *              the stream starts (and resumes, until it knows a file and offset)
     */
    static BinaryLogClient create(EventSourceContext context, BinlogPosition startAt, StreamSettings settings,
                                  EventDeserializer deserializer, SocketFactory sockets, GtidTracker gtids) {
        String password = context.password() == null ? "" : context.password();
        BinaryLogClient client = gtids == null
                ? new BinaryLogClient(context.host(), context.port(), context.user(), password)
                : new GtidStartClient(context.host(), context.port(), context.user(), password, gtids::completed);
        client.setServerId(context.serverId());
        // Always an explicit position: the client would otherwise pick one itself, after start() can know it. By
        // GTID, the file is a placeholder the server's first ROTATE replaces.
        client.setBinlogFilename(gtids == null ? startAt.file() : "");
        client.setBinlogPosition(gtids == null ? startAt.offset() : 4);
        client.setEventDeserializer(deserializer);
        // The keep-alive reconnects after a loss, at the position after the last event the client handed us.
        client.setKeepAlive(true);
        client.setKeepAliveInterval(settings.keepAlive().toMillis());
        client.setHeartbeatInterval(settings.heartbeat().toMillis());
        client.setSocketFactory(sockets);
        // The migration's TLS settings, as on its JDBC connections (by default, like Connector/J's: encrypt when the
        // server offers it, without verifying its certificate).
        client.setSSLMode(sslMode(context.tls().mode()));
        if (context.tls().mode() != Tls.Mode.DISABLED) {
            client.setSslSocketFactory(new TlsSockets(context.tls(), context.host(), context.port()));
        }
        client.setThreadFactory(runnable -> {
            Thread thread = new Thread(runnable); // the client names it
            thread.setDaemon(true); // a source somebody forgot to close must not keep the JVM alive
            return thread;
        });
        return client;
    }

    /**
     * The client's own host name check (VERIFY_IDENTITY) compares against a reverse DNS lookup of the peer, not
     * the name connected to; {@link TlsSockets} checks the name itself, so the client is told only to verify the CA.
     */
    private static SSLMode sslMode(Tls.Mode mode) {
        return switch (mode) {
            case DISABLED -> SSLMode.DISABLED;
            case PREFERRED -> SSLMode.PREFERRED;
            case REQUIRED -> SSLMode.REQUIRED;
            case VERIFY_CA, VERIFY_IDENTITY -> SSLMode.VERIFY_CA;
        };
    }
}
