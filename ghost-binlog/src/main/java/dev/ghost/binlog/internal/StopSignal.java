package dev.ghost.binlog.internal;

import java.util.concurrent.atomic.AtomicReference;

// A one-way flag saying the stream must stop, and why: closed by its owner, or failed.
final class StopSignal {

    private enum Reason { CLOSED, FAILED }

    private final AtomicReference<Reason> reason = new AtomicReference<>();

    /** Marks the stream closed; false when it had already stopped. */
    boolean close() {
        return reason.compareAndSet(null, Reason.CLOSED);
    }

    /** Marks the stream failed; false when it had already stopped (so only the first failure counts). */
    boolean fail() {
        return reason.compareAndSet(null, Reason.FAILED);
    }

    boolean isSet() {
        return reason.get() != null;
    }

    boolean isClosed() {
        return reason.get() == Reason.CLOSED;
    }
}
