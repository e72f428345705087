package dev.ghost.liquibase;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * Liquibase's {@code modifyDataType} change, run online through ghost: {@code <ghost:modifyDataTypeOnline>} takes the same attributes and
 * children as {@code <modifyDataType>}. Like {@code modifyDataType} on MySQL, it runs {@code MODIFY column newDataType}, which replaces the whole column definition: state {@code NOT NULL} or a default in {@code newDataType} if the column is to keep them. No automatic rollback.
 */
@DatabaseChange(name = "modifyDataTypeOnline", description = "modifyDataType, run online through ghost (MySQL and MariaDB)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class ModifyDataTypeOnlineChange extends ModifyDataTypeChange {

    /** Liquibase creates changes through this constructor and sets their attributes afterwards. */
    public ModifyDataTypeOnlineChange() {
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
     * {@code modifyDataType}.
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
     * Liquibase's validation of {@code modifyDataType}, plus what cannot run online (another database, a statement that is not
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
