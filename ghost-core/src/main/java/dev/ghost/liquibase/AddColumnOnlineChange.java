package dev.ghost.liquibase;

import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.core.AddColumnChange;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;
import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;

/**
 * Liquibase's {@code addColumn} change, run online through ghost: {@code <ghost:addColumnOnline>} takes the same attributes and
 * children as {@code <addColumn>}. Rolled back by {@link DropColumnOnlineChange}, online too. Attributes that Liquibase turns into an UPDATE of existing rows ({@code value}, {@code valueComputed}...) are refused: they would not run online; a {@code defaultValue} is part of the ALTER.
 */
@DatabaseChange(name = "addColumnOnline", description = "addColumn, run online through ghost (MySQL and MariaDB)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AddColumnOnlineChange extends AddColumnChange {

    /** Liquibase creates changes through this constructor and sets their attributes afterwards. */
    public AddColumnOnlineChange() {
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
     * {@code addColumn}.
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
     * Liquibase's validation of {@code addColumn}, plus what cannot run online (another database, a statement that is not
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
     * The inverse, for rollback: {@code dropColumnOnline} of the added columns, online too (dropping a column drops
     * its default value with it).
     *
     * @return one {@link DropColumnOnlineChange}
     */
    @Override
    protected Change[] createInverses() {
        DropColumnOnlineChange inverse = new DropColumnOnlineChange();
        inverse.setCatalogName(getCatalogName());
        inverse.setSchemaName(getSchemaName());
        inverse.setTableName(getTableName());
        for (AddColumnConfig column : getColumns()) {
            inverse.addColumn(new ColumnConfig().setName(column.getName()));
        }
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
