package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.ServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;

// Decides what a connection event of the client means for the stream: go on, let the keep-alive reconnect, or fail.
final class ConnectionWatcher implements BinaryLogClient.LifecycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatcher.class);

    private final FailureReporter failures;
    private final StartupGate gate;
    private final StopSignal stop;

    private final String server;
    private final String user;
    private final QuickReconnect quickReconnect;

    ConnectionWatcher(FailureReporter failures, StartupGate gate, StopSignal stop, String server, String user,
                      QuickReconnect quickReconnect) {
        this.quickReconnect = quickReconnect;
        this.server = server;
        this.user = user;
        this.failures = failures;
        this.gate = gate;
        this.stop = stop;
    }

    @Override
    public void onConnect(BinaryLogClient client) {
        LOG.debug("binlog dump requested at {}:{} (connection {})", client.getBinlogFilename(),
                client.getBinlogPosition(), client.getConnectionId());
    }

    /**
     * A lost connection is left to the client's keep-alive, which reconnects where the stream stood; unless the
     * stream never started (start() must fail) or the server refused the position for good.
     */
    @Override
    public void onCommunicationFailure(BinaryLogClient client, Exception failure) {
        if (stop.isSet()) {
            return;
        }
        boolean fatal = failure instanceof ServerException refused && refused.getErrorCode() == BinlogFailures.FATAL_BINLOG_READ_ERROR;
        if (fatal || !gate.isOpen()) {
            failures.report(BinlogFailures.classify(failure, server, user,
                    client.getBinlogFilename() + ":" + client.getBinlogPosition()));
        } else {
            LOG.warn("lost the binlog connection at {}:{} ({}); the keep-alive will reconnect there",
                    client.getBinlogFilename(), client.getBinlogPosition(), failure.toString());
        }
    }

    /** Fatal: the client would skip the event it could not decode and go on, losing its rows. */
    @Override
    public void onEventDeserializationFailure(BinaryLogClient client, Exception failure) {
        if (!stop.isSet()) {
            failures.report(new IllegalStateException("could not decode the binlog event after "
                    + client.getBinlogFilename() + ":" + client.getBinlogPosition() + ": " + rootCause(failure),
                    failure));
        }
    }

    /** The client wraps the reason in "Failed to deserialize data of ...": the innermost message says why. */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage()) : root + " (in " + failure.getMessage() + ")";
    }

    @Override
    public void onDisconnect(BinaryLogClient client) {
        if (stop.isSet()) {
            return;
        }
        if (!gate.isOpen()) {
            failures.report(new EOFException("the server closed the binlog connection before sending any event"));
        } else {
            LOG.debug("binlog connection closed at {}:{}", client.getBinlogFilename(), client.getBinlogPosition());
            quickReconnect.connectionLost(client);
        }
    }
}
