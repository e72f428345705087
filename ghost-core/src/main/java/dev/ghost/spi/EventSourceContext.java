package dev.ghost.spi;

import java.time.Duration;
import java.util.List;

/**
 * What an event source needs to start streaming.
 *
 * @param host           the server whose binlog is read (the inspected server)
 * @param port           its port
 * @param user           a user with REPLICATION SLAVE and REPLICATION CLIENT, and SELECT on the tables
 * @param password       its password
 * @param tables         the only tables whose changes are delivered, with the columns used to decode them
 * @param startAt        where to start: after the transactions of its GTID set when it has one, else at its file
 *                       and offset; null means the server's current position
 * @param serverId       the replica server id to present; unique among the server's replicas
 * @param connectTimeout how long to wait for the connection and the first event
 */
public record EventSourceContext(String host, int port, String user, String password, List<TableSchema> tables,
                                 BinlogPosition startAt, long serverId, Duration connectTimeout) {

    public EventSourceContext {
        tables = List.copyOf(tables);
    }
}
