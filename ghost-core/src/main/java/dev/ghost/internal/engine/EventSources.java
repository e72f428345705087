package dev.ghost.internal.engine;

import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceProvider;

import java.util.Comparator;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the default {@link EventSource} through {@link ServiceLoader}: the provider with the highest priority. */
public final class EventSources {

    public static final String MISSING = "no EventSource found: add ghost-binlog to the classpath or call "
            + "eventSource(...)";

    private EventSources() {
    }

    public static Optional<EventSourceProvider> provider() {
        return ServiceLoader.load(EventSourceProvider.class).stream().map(ServiceLoader.Provider::get)
                .max(Comparator.comparingInt(EventSourceProvider::priority));
    }

    static EventSource fromServiceLoader() {
        return provider().orElseThrow(() -> new IllegalStateException(MISSING)).create();
    }
}
