/**
 * Liquibase integration: change types that run a schema change online through ghost instead of as a blocking
 * {@code ALTER TABLE}.
 *
 * <p>Each change is opt-in and lives in ghost's XML namespace ({@value dev.ghost.liquibase.GhostNamespaceDetails#NAMESPACE},
 * its XSD ships in this jar and resolves offline): {@link dev.ghost.liquibase.AddColumnOnlineChange
 * addColumnOnline}, {@link dev.ghost.liquibase.CreateIndexOnlineChange createIndexOnline},
 * {@link dev.ghost.liquibase.DropColumnOnlineChange dropColumnOnline}, {@link dev.ghost.liquibase.DropIndexOnlineChange
 * dropIndexOnline} and {@link dev.ghost.liquibase.ModifyDataTypeOnlineChange modifyDataTypeOnline} take the same
 * attributes as Liquibase's standard change of the same stem; {@link dev.ghost.liquibase.AlterTableOnlineChange
 * alterTableOnline} runs a raw ALTER body on one table. Liquibase finds them, their SQL generator, the configuration
 * and the namespace through its ServiceLoader files in this jar.
 *
 * <p>A change turns into an {@link dev.ghost.liquibase.OnlineAlterStatement}: the ALTER TABLE body ghost needs,
 * derived from Liquibase's own MySQL SQL for the standard changes. On {@code update} and {@code rollback} Liquibase's
 * JDBC executor hands it to {@link dev.ghost.liquibase.OnlineAlterStatement#execute}, which commits Liquibase's open
 * transaction and runs {@link dev.ghost.OnlineSchemaChange}; on {@code update-sql} it prints as an SQL comment plus the
 * equivalent ALTER. Credentials and a few ghost settings come from Liquibase configuration properties, see
 * {@link dev.ghost.liquibase.GhostLiquibaseConfiguration}.
 *
 * <p>liquibase-core is an optional dependency of ghost-core: no class outside this package refers to Liquibase, so
 * applications without Liquibase never load one.
 */
package dev.ghost.liquibase;
