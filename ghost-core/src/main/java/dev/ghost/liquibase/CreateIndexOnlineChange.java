package dev.ghost.liquibase;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;
import liquibase.change.Change;

/**
 * Liquibase's {@code createIndex} change, run online through ghost: {@code <ghost:createIndexOnline>} takes the same attributes and
 * children as {@code <createIndex>}. Runs as {@code ALTER TABLE ... ADD [UNIQUE] INDEX}; rolled back by {@link DropIndexOnlineChange}, online too.
 */
@DatabaseChange(name = "createIndexOnline", description = "createIndex, run online through ghost (MySQL and MariaDB)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class CreateIndexOnlineChange extends CreateIndexChange {

    /** Liquibase creates changes through this constructor and sets their attributes afterwards. */
    public CreateIndexOnlineChange() {
    }

    /**
     * Runs on MySQL and MariaDB only.
     *
     * @param database the database the changelog runs on
     * @return whether it is MySQL or MariaDB
     */
    @Override
    public boolean supports(Database database) {
        return database instanceof MySQLDatabase;
    }

    /**
     * One {@link OnlineAlterStatement}: the body of the ALTER TABLE that Liquibase's own MySQL generator makes for
     * {@code createIndex}.
     *
     * @param database the database the changelog runs on
     * @return the online statement, or its printed form for {@code update-sql}
     */
    @Override
    public SqlStatement[] generateStatements(Database database) {
        return OnlineChanges.fromStandard(this, database, getCatalogName(), getSchemaName(), getTableName(),
                super.generateStatements(database));
    }

    /**
     * Liquibase's validation of {@code createIndex}, plus what cannot run online (another database, a statement that is not
     * an ALTER of the table).
     *
     * @param database the database the changelog runs on
     * @return the problems found, empty when none
     */
    @Override
    public ValidationErrors validate(Database database) {
        return OnlineChanges.validate(this, database, () -> super.validate(database));
    }

    /**
     * The inverse, for rollback: {@code dropIndexOnline} of the index, online too.
     *
     * @return one {@link DropIndexOnlineChange}
     */
    @Override
    protected Change[] createInverses() {
        DropIndexOnlineChange inverse = new DropIndexOnlineChange();
        inverse.setCatalogName(getCatalogName());
        inverse.setSchemaName(getSchemaName());
        inverse.setTableName(getTableName());
        inverse.setIndexName(getIndexName());
        return new Change[]{inverse};
    }

    /**
     * What Liquibase reports once the change has run.
     *
     * @return the standard change's message, saying that it ran online
     */
    @Override
    public String getConfirmationMessage() {
        return super.getConfirmationMessage() + " (online, through ghost)";
    }

    /**
     * ghost's XML namespace, in which the change is written.
     *
     * @return {@value GhostNamespaceDetails#NAMESPACE}
     */
    @Override
    public String getSerializedObjectNamespace() {
        return GhostNamespaceDetails.NAMESPACE;
    }
}
