package dev.ghost.liquibase;

import liquibase.change.AbstractChange;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * A raw ALTER TABLE, run online through ghost: {@code <ghost:alterTableOnline tableName="orders"
 * alter="ADD COLUMN note VARCHAR(64), ADD INDEX idx_created (created)"/>}. The {@code alter} is the body of one ALTER
 * TABLE of {@code tableName} (a leading {@code ALTER TABLE tableName} is allowed); a second statement, another
 * statement kind, another table or a rename of the table fail validation, before any changeset runs. There is no
 * automatic rollback: give one with {@code <rollback>}.
 */
@DatabaseChange(name = "alterTableOnline", description = "Runs the body of an ALTER TABLE online through ghost "
        + "(MySQL and MariaDB)", priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AlterTableOnlineChange extends AbstractChange {

    private String catalogName;
    private String schemaName;
    private String tableName;
    private String alter;

    /** Liquibase creates changes through this constructor and sets their attributes afterwards. */
    public AlterTableOnlineChange() {
    }

    /**
     * The table's database (MySQL schema); default: the connection's.
     *
     * @return the catalog name, or null
     */
    @DatabaseChangeProperty(description = "Database (MySQL schema) of the table; default: the connection's")
    public String getCatalogName() {
        return catalogName;
    }

    /**
     * Sets the table's database.
     *
     * @param catalogName the catalog name, or null for the connection's
     */
    public void setCatalogName(String catalogName) {
        this.catalogName = catalogName;
    }

    /**
     * The table's database, as Liquibase's schema attribute (MySQL has no schema within a database).
     *
     * @return the schema name, or null
     */
    @DatabaseChangeProperty(description = "Same as catalogName on MySQL and MariaDB")
    public String getSchemaName() {
        return schemaName;
    }

    /**
     * Sets the table's database, as Liquibase's schema attribute.
     *
     * @param schemaName the schema name, or null
     */
    public void setSchemaName(String schemaName) {
        this.schemaName = schemaName;
    }

    /**
     * The table to alter.
     *
     * @return the table name
     */
    @DatabaseChangeProperty(description = "Table to alter online", requiredForDatabase = "all")
    public String getTableName() {
        return tableName;
    }

    /**
     * Sets the table to alter.
     *
     * @param tableName the table name
     */
    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    /**
     * The body of the ALTER TABLE, such as {@code ADD COLUMN note VARCHAR(64), DROP INDEX idx_old}.
     *
     * @return the ALTER TABLE body
     */
    @DatabaseChangeProperty(description = "The ALTER TABLE body, e.g. ADD COLUMN note VARCHAR(64)",
            requiredForDatabase = "all")
    public String getAlter() {
        return alter;
    }

    /**
     * Sets the body of the ALTER TABLE.
     *
     * @param alter the ALTER TABLE body; a leading {@code ALTER TABLE tableName} is allowed
     */
    public void setAlter(String alter) {
        this.alter = alter;
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
     * One {@link OnlineAlterStatement} with the checked ALTER body.
     *
     * @param database the database the changelog runs on
     * @return the online statement, or its printed form for {@code update-sql}
     */
    @Override
    public SqlStatement[] generateStatements(Database database) {
        String body;
        try {
            body = AlterBody.of(tableName, alter);
        } catch (IllegalArgumentException e) {
            throw new UnexpectedLiquibaseException(e.getMessage(), e);
        }
        return OnlineChanges.statements(this, database, catalogName, schemaName, tableName, body);
    }

    /**
     * Checks the required attributes and that {@code alter} is the body of one ALTER TABLE of {@code tableName}.
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
     * @return a message naming the table
     */
    @Override
    public String getConfirmationMessage() {
        return "Table " + tableName + " altered online through ghost";
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
