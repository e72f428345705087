package dev.ghost.binlog;

import dev.ghost.binlog.internal.BinlogEventSource;
import dev.ghost.binlog.internal.StreamSettings;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceProvider;

/**
 * The default {@link EventSourceProvider}: an event source that reads the binlog with mysql-binlog-connector-java.
 * Found by {@link java.util.ServiceLoader} when ghost-binlog is on the class path. The system properties
 * {@code ghost.binlog.heartbeat-millis} (default 1000) and {@code ghost.binlog.keep-alive-millis} (default 5000) tune
 * how soon a silently lost connection is restored; one the server closes is restored at once.
 */
public final class BinlogEventSourceProvider implements EventSourceProvider {

    @Override
    public String name() {
        return "binlog";
    }

    @Override
    public EventSource create() {
        return new BinlogEventSource(StreamSettings.fromSystemProperties());
    }
}
