package dev.ghost.spi;

import dev.ghost.Tls;

import java.time.Duration;
import java.util.ArrayList;
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
 * @param ghostTable     a table whose rows are not delivered but whose statements are, as those of {@code tables}
 *                       are (see {@link EventSink#statement(StatementEvent)}): the migration's ghost table. Null
 *                       when there is none, as with the older eight-argument constructor, which stays for sources
 *                       and callers written before this component was added.
 * @param tls            how the source's connections use TLS: the same settings as every other connection of the
 *                       migration (see {@link Tls#sslContext()} and {@link Tls#jdbcProperties()}); never null, the
 *                       older constructors give {@link Tls#preferred()}
 */
public record EventSourceContext(String host, int port, String user, String password, List<TableSchema> tables,
                                 BinlogPosition startAt, long serverId, Duration connectTimeout,
                                 TableName ghostTable, Tls tls) {

    /**
     * Copies the tables; a null {@code tls} means {@link Tls#preferred()}.
     *
     * @param host the server whose binlog is read
     * @param port its port
     * @param user a user with REPLICATION SLAVE and REPLICATION CLIENT
     * @param password its password
     * @param tables the tables whose changes are delivered
     * @param startAt where to start, or null for the current position
     * @param serverId the replica server id to present
     * @param connectTimeout how long to wait for the connection and the first event
     * @param ghostTable the ghost table, whose statements are reported but not its rows; or null
     * @param tls the TLS settings of the source's connections, or null for the default
     */
    public EventSourceContext {
        tables = List.copyOf(tables);
        tls = tls == null ? Tls.preferred() : tls;
    }

    /**
     * A context without a ghost table: only the statements naming {@code tables} are reported.
     *
     * @param host the server whose binlog is read
     * @param port its port
     * @param user a user with REPLICATION SLAVE and REPLICATION CLIENT
     * @param password its password
     * @param tables the tables whose changes are delivered
     * @param startAt where to start, or null for the current position
     * @param serverId the replica server id to present
     * @param connectTimeout how long to wait for the connection and the first event
     */
    public EventSourceContext(String host, int port, String user, String password, List<TableSchema> tables,
                              BinlogPosition startAt, long serverId, Duration connectTimeout) {
        this(host, port, user, password, tables, startAt, serverId, connectTimeout, null, Tls.preferred());
    }

    /**
     * A context with the default TLS settings ({@link Tls#preferred()}), as before TLS could be set.
     *
     * @param host the server whose binlog is read
     * @param port its port
     * @param user a user with REPLICATION SLAVE and REPLICATION CLIENT
     * @param password its password
     * @param tables the tables whose changes are delivered
     * @param startAt where to start, or null for the current position
     * @param serverId the replica server id to present
     * @param connectTimeout how long to wait for the connection and the first event
     * @param ghostTable the ghost table, whose statements are reported but not its rows; or null
     */
    public EventSourceContext(String host, int port, String user, String password, List<TableSchema> tables,
                              BinlogPosition startAt, long serverId, Duration connectTimeout, TableName ghostTable) {
        this(host, port, user, password, tables, startAt, serverId, connectTimeout, ghostTable, Tls.preferred());
    }

    /**
     * Every table whose statements the source reports: those of {@link #tables()}, then the ghost table.
     *
     * @return the names, unmodifiable, without duplicates
     */
    public List<TableName> statementTables() {
        List<TableName> names = new ArrayList<>();
        tables.forEach(table -> names.add(table.name()));
        if (ghostTable != null && !names.contains(ghostTable)) {
            names.add(ghostTable);
        }
        return List.copyOf(names);
    }
}
