package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.network.SSLSocketFactory;
import dev.ghost.Tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;

// Upgrades the binlog connection to TLS with the migration's settings: its CA, its client certificate, and in
// VERIFY_IDENTITY the JDK's own host name check against the name ghost connected to (DNS or IP subject alternative
// names), done during the handshake.
final class TlsSockets implements SSLSocketFactory {

    private final Tls tls;
    private final String host;
    private final int port;
    /** Made on first use, on the client's connect thread: a file problem then fails the connection, not the setup. */
    private volatile SSLContext context;

    TlsSockets(Tls tls, String host, int port) {
        this.tls = tls;
        this.host = host;
        this.port = port;
    }

    @Override
    public SSLSocket createSocket(Socket socket) throws SocketException {
        try {
            SSLSocket upgraded = (SSLSocket) context().getSocketFactory().createSocket(socket, host, port, true);
            if (tls.mode() == Tls.Mode.VERIFY_IDENTITY) {
                SSLParameters parameters = upgraded.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                upgraded.setSSLParameters(parameters);
            }
            return upgraded;
        } catch (IllegalStateException e) {
            SocketException failure = new SocketException("cannot set up TLS for the binlog connection to " + host
                    + ":" + port + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        } catch (IOException e) {
            SocketException failure = new SocketException(e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    private SSLContext context() {
        SSLContext current = context;
        if (current == null) {
            current = tls.sslContext();
            context = current;
        }
        return current;
    }
}
