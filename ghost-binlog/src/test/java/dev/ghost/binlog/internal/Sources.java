package dev.ghost.binlog.internal;

import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSourceContext;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.TestServer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

// Builds event source contexts for the test server, each with a replica server id of its own.
final class Sources {

    /** Apart per JVM, in case two test JVMs share a server. */
    private static final AtomicLong SERVER_IDS = new AtomicLong(50_000 + ProcessHandle.current().pid() % 10_000 * 100);

    private Sources() {
    }

    static EventSourceContext context(TestServer server, List<TableSchema> tables, BinlogPosition startAt) {
        return context(server, server.user(), server.password(), tables, startAt);
    }

    static EventSourceContext context(TestServer server, String user, String password, List<TableSchema> tables,
                                      BinlogPosition startAt) {
        return new EventSourceContext(server.host(), server.port(), user, password, tables, startAt,
                SERVER_IDS.incrementAndGet(), Duration.ofSeconds(10));
    }

    /** A context that also watches the statements on {@code ghostTable}. */
    static EventSourceContext contextWithGhost(TestServer server, List<TableSchema> tables, TableName ghostTable) {
        return new EventSourceContext(server.host(), server.port(), server.user(), server.password(), tables, null,
                SERVER_IDS.incrementAndGet(), Duration.ofSeconds(10), ghostTable);
    }
}
