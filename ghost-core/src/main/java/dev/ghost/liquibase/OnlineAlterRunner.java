package dev.ghost.liquibase;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.SchemaChangeResult;
import dev.ghost.ServerAddress;
import dev.ghost.internal.sql.JdbcUrl;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseConnection;
import liquibase.exception.DatabaseException;
import liquibase.logging.Logger;

import java.nio.file.Path;
import java.util.Optional;

/** Runs one {@link OnlineAlterStatement} through ghost, with the server of Liquibase's connection. */
final class OnlineAlterRunner {

    static final String PASSWORD_HELP = "set " + GhostLiquibaseConfiguration.PASSWORD.getKey()
            + " (in liquibase.properties, as the Java system property -D"
            + GhostLiquibaseConfiguration.PASSWORD.getKey() + "=..., or as the environment variable "
            + "LIQUIBASE_GHOST_PASSWORD)";

    private OnlineAlterRunner() {
    }

    static void run(OnlineAlterStatement statement, Database database) throws DatabaseException {
        String what = statement.getChangeName() + " on " + statement.qualifiedTable();
        DatabaseConnection connection = database == null ? null : database.getConnection();
        if (connection == null) {
            throw new DatabaseException(what + " runs online through ghost and needs a live database connection");
        }
        if (statement.getDatabaseName() == null) {
            throw new DatabaseException(what + " names no database and the connection has no default one: set "
                    + "catalogName on the change or a database in the JDBC URL. Nothing was changed.");
        }
        String user = Optional.ofNullable(GhostLiquibaseConfiguration.USER.getCurrentValue())
                .orElseGet(() -> withoutHost(connection.getConnectionUserName()));
        String password = GhostLiquibaseConfiguration.PASSWORD.getCurrentValue();
        if (password == null) {
            throw new DatabaseException(what + " runs online through ghost, which opens its own connections and "
                    + "reads the binlog as user '" + user + "', but no password is configured for it (Liquibase "
                    + "does not pass its own on): " + PASSWORD_HELP + ". Nothing was changed.");
        }
        ServerAddress server = server(connection.getURL(), what);

        OnlineSchemaChange.Builder builder = OnlineSchemaChange.builder()
                .connection(server.host(), server.port(), user, password)
                .database(statement.getDatabaseName())
                .table(statement.getTableName())
                .alter(statement.getAlter())
                // A _<table>_del is what the previous online change of this table kept (keepOldTable): replace it.
                .initiallyDropOldTable(true)
                .okToDropTable(!Boolean.TRUE.equals(GhostLiquibaseConfiguration.KEEP_OLD_TABLE.getCurrentValue()));
        Integer chunkSize = GhostLiquibaseConfiguration.CHUNK_SIZE.getCurrentValue();
        if (chunkSize != null) {
            builder.chunkSize(chunkSize);
        }
        String flagFile = GhostLiquibaseConfiguration.POSTPONE_CUTOVER_FLAG_FILE.getCurrentValue();
        if (flagFile != null && !flagFile.isBlank()) {
            builder.postponeCutoverFlagFile(Path.of(flagFile));
        }

        // Liquibase runs a changeset in a transaction. Anything it read in it (a precondition, an earlier statement)
        // keeps a metadata lock on those tables until the commit, and ghost's cut-over would wait for that lock
        // forever while this thread waits for ghost. MySQL commits implicitly before any DDL anyway, so a plain
        // ALTER would have committed here too.
        database.commit();

        Logger log = Scope.getCurrentScope().getLog(OnlineAlterRunner.class);
        log.info("ghost: " + what + " online: " + statement.getAlter());
        SchemaChangeResult result;
        try {
            result = builder.build().run();
        } catch (RuntimeException e) {
            throw new DatabaseException("ghost could not run " + what + " online: " + e.getMessage(), e);
        }
        log.info("ghost: " + what + " done in " + result.totalTime().toMillis() + " ms: " + result.rowsCopied()
                + " rows copied, " + result.eventsApplied() + " binlog changes replayed, writes blocked for "
                + result.cutoverLockTime().toMillis() + " ms" + result.oldTable().map(old -> ", old table kept as "
                + old).orElse(""));
    }

    private static ServerAddress server(String url, String what) throws DatabaseException {
        String host = GhostLiquibaseConfiguration.HOST.getCurrentValue();
        Integer port = GhostLiquibaseConfiguration.PORT.getCurrentValue();
        Optional<ServerAddress> fromUrl = JdbcUrl.tryParse(url).map(JdbcUrl::server);
        if (host != null && !host.isBlank()) {
            return ServerAddress.of(host, port != null ? port
                    : fromUrl.map(ServerAddress::port).orElse(JdbcUrl.DEFAULT_PORT));
        }
        if (fromUrl.isEmpty()) {
            throw new DatabaseException(what + " runs online through ghost, which needs the primary server's host "
                    + "and port, and cannot take a single one from the JDBC URL " + JdbcUrl.redacted(url) + ": set "
                    + GhostLiquibaseConfiguration.HOST.getKey() + " (and " + GhostLiquibaseConfiguration.PORT.getKey()
                    + "). Nothing was changed.");
        }
        return port == null ? fromUrl.get() : ServerAddress.of(fromUrl.get().host(), port);
    }

    /** Connector/J reports the user as {@code user@host}; ghost wants the user name alone. */
    static String withoutHost(String user) {
        if (user == null) {
            return "";
        }
        int at = user.lastIndexOf('@');
        return at > 0 ? user.substring(0, at) : user;
    }
}
