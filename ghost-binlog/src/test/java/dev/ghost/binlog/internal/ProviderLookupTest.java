package dev.ghost.binlog.internal;

import dev.ghost.binlog.BinlogEventSourceProvider;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderLookupTest {

    @Test
    void serviceLoaderFindsTheBinlogProvider() {
        List<EventSourceProvider> providers = ServiceLoader.load(EventSourceProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(providers).hasSize(1).first().isInstanceOf(BinlogEventSourceProvider.class);
        EventSourceProvider provider = providers.get(0);
        assertThat(provider.name()).isEqualTo("binlog");
        try (EventSource source = provider.create()) {
            assertThat(source).isInstanceOf(BinlogEventSource.class);
        }
    }
}
