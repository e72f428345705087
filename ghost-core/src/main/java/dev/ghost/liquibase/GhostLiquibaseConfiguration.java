package dev.ghost.liquibase;

import liquibase.configuration.AutoloadedConfigurations;
import liquibase.configuration.ConfigurationDefinition;
import liquibase.configuration.ConfigurationValueObfuscator;

/**
 * The Liquibase configuration properties of ghost's online changes. Like every Liquibase property, each one can be
 * set as a Java system property ({@code -Dliquibase.ghost.password=...}), an environment variable
 * ({@code LIQUIBASE_GHOST_PASSWORD}), in {@code liquibase.properties} (command line), or as a value of the current
 * Liquibase {@code Scope}.
 *
 * <p>ghost opens its own connections (row copy, cut-over) and reads the binlog as a replica, so it needs the
 * credentials of Liquibase's connection. Liquibase hands out the URL and the user, not the password: that is the one
 * property that must be set. Host and port come from the JDBC URL unless set here (a proxy or a load-balancer URL
 * may not lead to the primary that ghost must read the binlog of).
 */
public final class GhostLiquibaseConfiguration implements AutoloadedConfigurations {

    /** The password of the user ghost connects as (required). */
    public static final ConfigurationDefinition<String> PASSWORD;
    /** The user ghost connects as; default: the user of Liquibase's connection. */
    public static final ConfigurationDefinition<String> USER;
    /** The server's host; default: the host of Liquibase's JDBC URL. */
    public static final ConfigurationDefinition<String> HOST;
    /** The server's port; default: the port of Liquibase's JDBC URL, else 3306. */
    public static final ConfigurationDefinition<Integer> PORT;
    /** A fixed copy chunk size in rows (10..100000); default: adaptive, chunks of about 100 ms. */
    public static final ConfigurationDefinition<Integer> CHUNK_SIZE;
    /** Whether to keep the original table as {@code _<table>_del} after the cut-over; default false. */
    public static final ConfigurationDefinition<Boolean> KEEP_OLD_TABLE;
    /** A file whose existence postpones every cut-over (gh-ost's {@code --postpone-cut-over-flag-file}). */
    public static final ConfigurationDefinition<String> POSTPONE_CUTOVER_FLAG_FILE;

    static {
        ConfigurationDefinition.Builder builder = new ConfigurationDefinition.Builder("liquibase.ghost");
        PASSWORD = builder.define("password", String.class)
                .setDescription("Password of the user that ghost's online changes connect as (ghost opens its own "
                        + "connections and reads the binlog; Liquibase does not pass its password on). Required "
                        + "by update and rollback of ghost changes; update-sql does not need it.")
                .setValueObfuscator(ConfigurationValueObfuscator.STANDARD)
                .build();
        USER = builder.define("user", String.class)
                .setDescription("User that ghost's online changes connect as; needs REPLICATION SLAVE and "
                        + "REPLICATION CLIENT besides the table's privileges. Default: Liquibase's user.")
                .build();
        HOST = builder.define("host", String.class)
                .setDescription("Server host for ghost's connections. Default: the host of Liquibase's JDBC URL.")
                .build();
        PORT = builder.define("port", Integer.class)
                .setDescription("Server port for ghost's connections. Default: the port of Liquibase's JDBC URL, "
                        + "else 3306.")
                .build();
        CHUNK_SIZE = builder.define("chunkSize", Integer.class)
                .setDescription("Rows per copy chunk, 10..100000. Default: adaptive (chunks of about 100 ms).")
                .build();
        KEEP_OLD_TABLE = builder.define("keepOldTable", Boolean.class)
                .setDescription("Keep the original table as _<table>_del after the cut-over (the next online "
                        + "change of the same table replaces it). Default: false, it is dropped.")
                .setDefaultValue(false)
                .build();
        POSTPONE_CUTOVER_FLAG_FILE = builder.define("postponeCutoverFlagFile", String.class)
                .setDescription("While this file exists, an online change waits before its cut-over, the copy "
                        + "done and the binlog replayed; delete the file to let it finish.")
                .build();
    }

    /** Liquibase instantiates this class to load its definitions; the definitions are its static fields. */
    public GhostLiquibaseConfiguration() {
    }
}
