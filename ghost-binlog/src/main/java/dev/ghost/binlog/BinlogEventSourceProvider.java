package dev.ghost.binlog;

import dev.ghost.binlog.internal.BinlogEventSource;
import dev.ghost.binlog.internal.StreamSettings;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceProvider;

/**
 * The default {@link EventSourceProvider}: an event source that reads the binlog with mysql-binlog-connector-java.
 * Found by {@link java.util.ServiceLoader} when ghost-binlog is on the class path.
 */
public final class BinlogEventSourceProvider implements EventSourceProvider {

    @Override
    public String name() {
        return "binlog";
    }

    @Override
    public EventSource create() {
        return new BinlogEventSource(StreamSettings.defaults());
    }
}
