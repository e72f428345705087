package dev.ghost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A TCP proxy for fault tests: everything a client sends to {@link #port()} is forwarded to the target server and
 * back, until the test breaks the network on purpose.
 *
 * <ul>
 *   <li>{@link #pause()}: a silent drop. Bytes stop flowing both ways, new connections are accepted but not
 *       connected onwards, and every socket stays open: no error reaches either side, as when a switch or a firewall
 *       drops packets. Only the clients' own timeouts can notice.</li>
 *   <li>{@link #resume()}: the bytes held back flow again, in order, and held connections go onwards.</li>
 *   <li>{@link #cutAll()}: a reset. Every open connection is closed at once (with TCP RST, on both sides); new ones
 *       are served as usual.</li>
 * </ul>
 *
 * <p>Each connection onwards comes from a local port of its own; the server shows it as the session's host
 * ({@code 127.0.0.1:port} in the process list), which {@link #upstreamLocalPorts()} returns so that a test can tell
 * the sessions that went through the proxy from its own.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Set<Integer> upstreamPorts = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final Object gate = new Object();
    private volatile boolean paused;
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy on a free local port that forwards to {@code host:port}. */
    public static TcpProxy start(String host, int port) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxy proxy = new TcpProxy(listener, new InetSocketAddress(host, port));
            Thread acceptor = new Thread(proxy::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("could not open a proxy port: " + e.getMessage(), e);
        }
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding bytes, both ways, without closing anything. */
    public void pause() {
        paused = true;
    }

    /** Forwards again, starting with what was held back. */
    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Resets every open connection (RST on both sides); returns how many there were. */
    public int cutAll() {
        int cut = 0;
        for (Link link : links) {
            link.close();
            cut++;
        }
        return cut;
    }

    /** Connections open right now, through the proxy. */
    public int openConnections() {
        return (int) links.stream().filter(link -> !link.closed).count();
    }

    /** Connections accepted since the start. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** The local ports of the open connections onwards: the server lists them as {@code 127.0.0.1:port}. */
    public Set<Integer> upstreamLocalPorts() {
        return links.stream().filter(link -> !link.closed && link.upstreamPort > 0).map(link -> link.upstreamPort)
                .collect(Collectors.toSet());
    }

    /** Every local port a connection onwards ever used. */
    public Set<Integer> everyUpstreamLocalPort() {
        return Set.copyOf(upstreamPorts);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        resume(); // wakes every pump, which then sees its link closed
        cutAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Link link = new Link(client);
            links.add(link);
            Thread connector = new Thread(link::connect, "tcp-proxy-link-" + client.getPort());
            connector.setDaemon(true);
            connector.start();
        }
    }

    /** Blocks while paused; false once the link is closed. */
    private boolean awaitFlowing(Link link) {
        synchronized (gate) {
            while (paused && !link.closed && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !link.closed;
    }

    /** One client connection and its connection onwards. */
    private final class Link {
        private final Socket client;
        private volatile Socket upstream;
        private volatile int upstreamPort;
        private volatile boolean closed;
        /** Directions that ended with an orderly close: at two, the link is over. */
        private final java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();

        Link(Socket client) {
            this.client = client;
        }

        void connect() {
            try {
                client.setTcpNoDelay(true);
                if (!awaitFlowing(this)) { // a silent drop holds new connections too
                    return;
                }
                Socket onwards = new Socket();
                onwards.setTcpNoDelay(true);
                onwards.connect(target, 10_000);
                upstream = onwards;
                upstreamPort = onwards.getLocalPort();
                upstreamPorts.add(upstreamPort);
                if (closed) { // cut while connecting
                    close();
                    return;
                }
                Thread back = new Thread(() -> pump(onwards, client), "tcp-proxy-down-" + client.getPort());
                back.setDaemon(true);
                back.start();
                pump(client, onwards);
            } catch (IOException e) {
                close();
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    if (!awaitFlowing(this)) {
                        return;
                    }
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    // Read while flowing, but a pause that began meanwhile holds these bytes back too.
                    if (!awaitFlowing(this)) {
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
                // An orderly end on one side is passed on as such.
                to.shutdownOutput();
                if (ended.incrementAndGet() == 2) {
                    close();
                }
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            closed = true;
            reset(client);
            Socket onwards = upstream;
            if (onwards != null) {
                reset(onwards);
            }
        }

        private static void reset(Socket socket) {
            try {
                socket.setSoLinger(true, 0); // RST, not FIN: the peer sees a reset connection
            } catch (IOException ignored) {
                // already closed
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
