package dev.ghost.spi;

/**
 * Registered in {@code META-INF/services/dev.ghost.spi.EventSourceProvider} so that
 * {@link java.util.ServiceLoader} finds the default event source. The provider with the highest priority wins.
 */
public interface EventSourceProvider {

    /**
     * A short name for logs, e.g. {@code binlog}.
     *
     * @return the name
     */
    String name();

    /**
     * Higher wins when several providers are on the classpath.
     *
     * @return the priority; 0 unless overridden
     */
    default int priority() {
        return 0;
    }

    /**
     * A new event source for one migration.
     *
     * @return a source that has not started; the engine starts and closes it
     */
    EventSource create();
}
