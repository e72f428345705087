package dev.ghost.spi;

/**
 * Registered in {@code META-INF/services/dev.ghost.spi.EventSourceProvider} so that
 * {@link java.util.ServiceLoader} finds the default event source. The provider with the highest priority wins.
 */
public interface EventSourceProvider {

    /** A short name for logs, e.g. {@code binlog}. */
    String name();

    /** Higher wins when several providers are on the classpath. */
    default int priority() {
        return 0;
    }

    EventSource create();
}
