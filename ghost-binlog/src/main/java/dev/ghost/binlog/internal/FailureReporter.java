package dev.ghost.binlog.internal;

import dev.ghost.spi.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Ends the stream at its first failure: fails start() while it runs, else stops the client and tells the sink once.
final class FailureReporter {

    private static final Logger LOG = LoggerFactory.getLogger(FailureReporter.class);

    private final EventSink sink;
    private final StartupGate gate;
    private final StopSignal stop;
    private final Runnable stopClient;

    FailureReporter(EventSink sink, StartupGate gate, StopSignal stop, Runnable stopClient) {
        this.sink = sink;
        this.gate = gate;
        this.stop = stop;
        this.stopClient = stopClient;
    }

    /**
     * Reports a failure; later ones, and any after close(), are ignored. Callable from any thread, including the
     * client's reader and keep-alive threads: the client is stopped from a thread of its own, because stopping
     * it from its keep-alive thread would wait for that very thread.
     */
    void report(Throwable cause) {
        if (!stop.fail()) {
            LOG.debug("binlog stream already stopped; ignoring a later failure", cause);
            return;
        }
        if (gate.failIfStarting(cause)) {
            return; // start() throws it and cleans up
        }
        // Debug only: the sink decides what the failure means. A migration reports it in its own exception, and after
        // a cut-over the stream meeting the new table under the old name is expected and harmless.
        LOG.debug("binlog stream failed: {}", cause.toString());
        Thread reporter = new Thread(() -> {
            try {
                stopClient.run();
            } finally {
                sink.failed(cause);
            }
        }, "ghost-binlog-failure");
        reporter.setDaemon(true);
        reporter.start();
    }
}
