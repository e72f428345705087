package dev.ghost.spi;

/**
 * Streams the row changes of a few tables, in commit order, starting at a position.
 * The default implementation lives in ghost-binlog and is found through {@link EventSourceProvider}.
 */
public interface EventSource extends AutoCloseable {

    /**
     * Connects and starts delivering events to {@code sink} on the source's own thread. Returns once the stream is
     * established, so that every change committed after this call returns is delivered.
     *
     * @param context the server, the credentials, the tables to watch and where to start
     * @param sink where the events go
     * @return the position the stream starts at
     */
    BinlogPosition start(EventSourceContext context, EventSink sink);

    /** Stops streaming and releases the connection. Idempotent. */
    @Override
    void close();
}
