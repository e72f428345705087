package dev.ghost.flyway;

import dev.ghost.OnlineSchemaChange;

import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.extensibility.MigrationType;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Finds online-ALTER migrations written as SQL: files named by Flyway's convention with the suffix {@value #SUFFIX}
 * (e.g. {@code V8__Index_orders_by_customer.ghost}) in Flyway's locations, each holding one {@code ALTER TABLE}
 * statement that ghost runs online. Flyway's own SQL resolver takes only files ending in {@code .sql}, so it leaves
 * these alone. Flyway finds this resolver by itself, as a plugin that ghost-core registers, so that such a file is
 * never skipped for want of a registration; register one yourself to give ghost settings for these migrations:
 *
 * <pre>{@code
 * Flyway.configure()
 *     .dataSource(url, user, password)
 *     .resolvers(new OnlineAlterResolver(ghost -> ghost.chunkSize(500)))
 *     .load();
 * }</pre>
 *
 * The plugin instance then steps aside, so that each file is found once. The migrations
 * run like {@link OnlineAlterMigration}s: outside a transaction, with {@link GhostLogin#from}'s login, recorded in
 * Flyway's history with the type {@code CUSTOM} and a checksum of the file. A file that is not one {@code ALTER TABLE}
 * statement fails Flyway's validation, naming the file. Flyway's placeholders are not replaced in these files.
 */
public final class OnlineAlterResolver implements MigrationResolver {

    /** The suffix of online-ALTER migration files. */
    public static final String SUFFIX = ".ghost";

    private final Consumer<OnlineSchemaChange.Builder> settings;

    /** A resolver whose migrations run with ghost's defaults. */
    public OnlineAlterResolver() {
        this(ghost -> { });
    }

    /**
     * A resolver whose migrations run with more of ghost's settings.
     *
     * @param settings sets ghost's settings (chunk size, throttling, listeners, ...) on each migration's builder,
     *                 which already has the login, the table and the ALTER
     */
    public OnlineAlterResolver(Consumer<OnlineSchemaChange.Builder> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Finds the {@value #SUFFIX} files in Flyway's locations.
     *
     * @param context what Flyway gives resolvers: its configuration and its resources
     * @return a migration per file
     * @throws FlywayException when a file's name or content is not that of an online-ALTER migration, naming it
     */
    @Override
    public Collection<ResolvedMigration> resolveMigrations(Context context) {
        Configuration configuration = context.configuration;
        if (yieldsToAnotherRegistered(configuration)) {
            return List.of();
        }
        String prefix = configuration.getSqlMigrationPrefix();
        String repeatable = configuration.getRepeatableSqlMigrationPrefix();
        Collection<LoadableResource> repeatables =
                context.resourceProvider.getResources(repeatable, new String[] {SUFFIX});
        if (!repeatables.isEmpty()) {
            throw new FlywayException(repeatables.iterator().next().getFilename() + ": an online ALTER runs once, so "
                    + "it cannot be a repeatable migration; name it " + prefix + "<version>"
                    + configuration.getSqlMigrationSeparator() + "<description>" + SUFFIX);
        }
        List<ResolvedMigration> migrations = new ArrayList<>();
        for (LoadableResource resource : context.resourceProvider.getResources(prefix, new String[] {SUFFIX})) {
            String file = resource.getFilename();
            String content = read(resource);
            if (configuration.isPlaceholderReplacement()
                    && content.contains(configuration.getPlaceholderPrefix())) {
                throw new FlywayException(file + " holds a placeholder (" + configuration.getPlaceholderPrefix()
                        + "...): placeholders are not replaced in online-ALTER migrations; write the value itself");
            }
            AlterScript script;
            try {
                script = AlterScript.parse(content, file);
            } catch (IllegalArgumentException e) {
                throw new FlywayException(e.getMessage(), e);
            }
            String name = file.substring(prefix.length(), file.length() - SUFFIX.length());
            int separator = name.indexOf(configuration.getSqlMigrationSeparator());
            if (separator <= 0) {
                throw new FlywayException(file + " is not named as a versioned migration: " + prefix + "<version>"
                        + configuration.getSqlMigrationSeparator() + "<description>" + SUFFIX);
            }
            MigrationVersion version;
            try {
                version = MigrationVersion.fromVersion(name.substring(0, separator));
            } catch (FlywayException e) {
                throw new FlywayException(file + ": " + e.getMessage(), e);
            }
            String description = name.substring(separator + configuration.getSqlMigrationSeparator().length())
                    .replace('_', ' ');
            migrations.add(new OnlineAlterScriptMigration(version, description, resource.getRelativePath(),
                    resource.getAbsolutePathOnDisk(), checksum(content), new Executor(script, settings)));
        }
        return migrations;
    }

    /**
     * Flyway also finds this class as a plugin (ghost-core lists it in {@code META-INF/services}), so that
     * {@value #SUFFIX} files are never skipped silently for want of a registration. That instance steps aside for one
     * registered with {@code resolvers(...)}, which may carry settings; otherwise each file would be found twice.
     */
    private boolean yieldsToAnotherRegistered(Configuration configuration) {
        MigrationResolver[] registered = configuration.getResolvers();
        if (registered == null) {
            return false;
        }
        boolean thisIsRegistered = false;
        boolean anotherIsRegistered = false;
        for (MigrationResolver resolver : registered) {
            thisIsRegistered |= resolver == this;
            anotherIsRegistered |= resolver != this && resolver instanceof OnlineAlterResolver;
        }
        return !thisIsRegistered && anotherIsRegistered;
    }

    private static String read(LoadableResource resource) {
        StringBuilder content = new StringBuilder();
        try (Reader reader = resource.read()) {
            char[] buffer = new char[4096];
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                content.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource.getFilename(), e);
        }
        String text = content.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** CRC32 of the content with its line ends made alike, so that a checkout on Windows keeps the checksum. */
    private static int checksum(String content) {
        CRC32 crc = new CRC32();
        crc.update(content.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** One file's migration, as Flyway lists, validates and runs it. */
    private record OnlineAlterScriptMigration(MigrationVersion version, String description, String script,
                                              String physicalLocation, Integer checksum, MigrationExecutor executor)
            implements ResolvedMigration {

        @Override
        public MigrationVersion getVersion() {
            return version;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public String getScript() {
            return script;
        }

        @Override
        public Integer getChecksum() {
            return checksum;
        }

        @Override
        public MigrationType getType() {
            return CoreMigrationType.CUSTOM;
        }

        @Override
        public String getPhysicalLocation() {
            return physicalLocation;
        }

        @Override
        public MigrationExecutor getExecutor() {
            return executor;
        }

        @Override
        public boolean checksumMatches(Integer other) {
            return Objects.equals(checksum, other);
        }

        @Override
        public boolean checksumMatchesWithoutBeingIdentical(Integer other) {
            return false;
        }
    }

    /** Runs one file's ALTER through ghost, outside Flyway's transaction. */
    private record Executor(AlterScript script, Consumer<OnlineSchemaChange.Builder> settings)
            implements MigrationExecutor {

        @Override
        public List<org.flywaydb.core.internal.jdbc.Results> execute(
                org.flywaydb.core.api.executor.Context context) throws OnlineAlterException {
            GhostFlyway.alterOnline(new org.flywaydb.core.api.migration.Context() {
                @Override
                public Configuration getConfiguration() {
                    return context.getConfiguration();
                }

                @Override
                public Connection getConnection() {
                    return context.getConnection();
                }
            }, script.table(), script.clauses(), settings);
            return List.of();
        }

        @Override
        public boolean canExecuteInTransaction() {
            return false;
        }

        @Override
        public boolean shouldExecute() {
            return true;
        }
    }
}
