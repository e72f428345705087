/**
 * Flyway integration: ordinary Flyway Java migrations whose ALTER of a large table runs online through ghost, with the
 * database coordinates of Flyway's own configuration.
 *
 * <p>A migration named by Flyway's convention extends {@link dev.ghost.flyway.OnlineAlterMigration} and names the
 * table and the ALTER; any other Java migration can call {@link dev.ghost.flyway.GhostFlyway#alterOnline}; and a file
 * {@code V<version>__<description>.ghost} holding one {@code ALTER TABLE} statement is run online by
 * {@link dev.ghost.flyway.OnlineAlterResolver}, which Flyway finds as a plugin. Where ghost connects, and as whom, is
 * said by {@link dev.ghost.flyway.GhostLogin}.
 *
 * <p>Flyway ({@code org.flywaydb:flyway-core}, with {@code flyway-mysql} for MySQL and MariaDB) is an optional
 * dependency of ghost-core: only applications that use this package need it, and no ghost class outside this package
 * refers to it. ghost's default event source comes from {@code ghost-binlog}, which must be on the class path too.
 */
package dev.ghost.flyway;
