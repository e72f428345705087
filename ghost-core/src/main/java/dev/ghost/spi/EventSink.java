package dev.ghost.spi;

/** Where an {@link EventSource} delivers decoded row changes, in binlog order, from its own thread. */
public interface EventSink {

    /**
     * Takes one event. May block to push back on a reader that is ahead of the applier.
     *
     * @param event the decoded rows of one binlog rows event
     * @throws InterruptedException when the source is closed while the sink blocks
     */
    void accept(RowsEvent event) throws InterruptedException;

    /**
     * Takes a statement that names a watched table but was logged as SQL text, in binlog order with the row events.
     * Row events alone cannot tell what it did to the rows, so the default treats it as the end of the stream: it
     * calls {@link #failed(Throwable)}. A sink that knows some statements are harmless (its own renames, say)
     * overrides this.
     *
     * @param event the statement, the watched tables it names and its position
     * @throws InterruptedException when the source is closed while the sink blocks
     */
    default void statement(StatementEvent event) throws InterruptedException {
        failed(new IllegalStateException("the statement \"" + event.shortenedSql(200) + "\" on " + event.tables()
                + " reached the binlog as a statement, not as row events, at " + event.position()
                + "; its changes cannot be replayed"));
    }

    /**
     * The source stopped for good: the migration must fail with this cause.
     *
     * @param cause why the source stopped, e.g. a {@link dev.ghost.BinlogStreamException}
     */
    void failed(Throwable cause);
}
