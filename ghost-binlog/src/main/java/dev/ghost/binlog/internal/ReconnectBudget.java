package dev.ghost.binlog.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

// Counts the connection attempts since the stream last received an event, and ends the stream after a few.
final class ReconnectBudget implements com.github.shyiko.mysql.binlog.network.SocketFactory {

    private final int maxAttempts;
    private final String server;
    private final StopSignal stop;
    private final AtomicInteger attemptsWithoutEvent = new AtomicInteger();
    private final FailureReporter failures;

    ReconnectBudget(int maxAttempts, String server, StopSignal stop, FailureReporter failures) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.server = server;
        this.stop = stop;
        this.failures = failures;
    }

    /** The client's socket factory: every attempt, the first one and each keep-alive reconnect, opens a socket. */
    @Override
    public Socket createSocket() throws SocketException {
        if (stop.isSet()) {
            throw new SocketException("the binlog stream is stopping");
        }
        int attempt = attemptsWithoutEvent.incrementAndGet();
        if (attempt > maxAttempts) {
            failures.report(new IOException("lost the binlog connection to " + server + " and could not restore it in "
                    + maxAttempts + " attempts (the binlog client logged why)"));
            throw new SocketException("gave up reconnecting to " + server);
        }
        return new Socket();
    }

    /** An attempt that does not count (made right after a loss, before the keep-alive's own): given back. */
    void refund() {
        attemptsWithoutEvent.updateAndGet(attempts -> attempts > 0 ? attempts - 1 : 0);
    }

    /** An event arrived: the connection works, the next loss gets a fresh budget. */
    void eventArrived() {
        if (attemptsWithoutEvent.get() != 0) {
            attemptsWithoutEvent.set(0);
        }
    }
}
