package dev.ghost.spi;

/** Where an {@link EventSource} delivers decoded row changes, in binlog order, from its own thread. */
public interface EventSink {

    /** Takes one event. May block to push back on a reader that is ahead of the applier. */
    void accept(RowsEvent event) throws InterruptedException;

    /** The source stopped for good: the migration must fail with this cause. */
    void failed(Throwable cause);
}
