package dev.ghost.liquibase;

import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.core.DropColumnChange;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.statement.SqlStatement;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ALTER body of each online change comes from Liquibase's own MySQL SQL for the standard change; checked offline,
 * on a MySQLDatabase without a connection.
 */
class StandardChangesTest {

    private static final Database MYSQL = new MySQLDatabase();

    @Test
    void addColumnBecomesTheAddClausesOfLiquibasesAlter() {
        AddColumnOnlineChange change = new AddColumnOnlineChange();
        change.setTableName("orders");
        change.addColumn(column("note", "VARCHAR(64)", null));
        change.addColumn(column("status", "VARCHAR(8)", "new"));
        assertThat(alterOf(change)).isEqualTo("ADD note VARCHAR(64) NULL, ADD status VARCHAR(8) DEFAULT 'new' NULL");
        assertThat(change.validate(MYSQL).getErrorMessages()).isEmpty();
    }

    @Test
    void positionAndRemarksAreLiquibasesToo() {
        AddColumnOnlineChange change = new AddColumnOnlineChange();
        change.setTableName("orders");
        AddColumnConfig column = column("note", "VARCHAR(64)", null);
        column.setAfterColumn("id");
        column.setRemarks("free text");
        change.addColumn(column);
        assertThat(alterOf(change)).isEqualTo("ADD note VARCHAR(64) NULL COMMENT 'free text'  AFTER id");
    }

    @Test
    void createIndexBecomesAddIndexAndDropIndexDropIndex() {
        CreateIndexOnlineChange create = new CreateIndexOnlineChange();
        create.setTableName("orders");
        create.setIndexName("idx_created");
        create.setUnique(true);
        create.addColumn(indexColumn("created"));
        create.addColumn(indexColumn("name"));
        assertThat(alterOf(create)).isEqualTo("ADD UNIQUE INDEX idx_created (created, name)");

        DropIndexOnlineChange drop = new DropIndexOnlineChange();
        drop.setTableName("orders");
        drop.setIndexName("idx_created");
        assertThat(alterOf(drop)).isEqualTo("DROP INDEX idx_created");
    }

    @Test
    void dropColumnAndModifyDataType() {
        DropColumnOnlineChange drop = new DropColumnOnlineChange();
        drop.setTableName("orders");
        drop.setColumnName("note");
        assertThat(alterOf(drop)).isEqualTo("DROP COLUMN note");

        ModifyDataTypeOnlineChange modify = new ModifyDataTypeOnlineChange();
        modify.setTableName("orders");
        modify.setColumnName("name");
        modify.setNewDataType("VARCHAR(128) NOT NULL");
        assertThat(alterOf(modify)).isEqualTo("MODIFY name VARCHAR(128) NOT NULL");
    }

    @Test
    void theInversesRunOnlineToo() throws Exception {
        AddColumnOnlineChange add = new AddColumnOnlineChange();
        add.setTableName("orders");
        add.addColumn(column("status", "VARCHAR(8)", "new"));
        SqlStatement[] rollback = add.generateRollbackStatements(MYSQL);
        assertThat(rollback).singleElement().isInstanceOfSatisfying(OnlineAlterStatement.class,
                statement -> assertThat(statement.getAlter()).isEqualTo("DROP COLUMN status"));

        CreateIndexOnlineChange create = new CreateIndexOnlineChange();
        create.setTableName("orders");
        create.setIndexName("idx_created");
        create.addColumn(indexColumn("created"));
        assertThat(create.generateRollbackStatements(MYSQL)).singleElement()
                .isInstanceOfSatisfying(OnlineAlterStatement.class,
                        statement -> assertThat(statement.getAlter()).isEqualTo("DROP INDEX idx_created"));
    }

    @Test
    void whatWouldNotRunOnlineFailsValidation() {
        AddColumnOnlineChange filled = new AddColumnOnlineChange();
        filled.setTableName("orders");
        AddColumnConfig column = column("status", "VARCHAR(8)", null);
        column.setValue("new"); // Liquibase fills existing rows with an UPDATE: not online
        filled.addColumn(column);
        assertThat(String.join("\n", filled.validate(MYSQL).getErrorMessages()))
                .contains("orders", "UPDATE", "not an ALTER of that table", "defaultValue");

        DropColumnChange standard = new DropColumnOnlineChange();
        standard.setTableName("orders");
        standard.setColumnName("note");
        assertThat(String.join("\n", standard.validate(new PostgresDatabase()).getErrorMessages()))
                .contains("dropColumnOnline", "MySQL and MariaDB only").containsIgnoringCase("postgresql");

        DropIndexOnlineChange noTable = new DropIndexOnlineChange();
        noTable.setIndexName("idx");
        assertThat(String.join("\n", noTable.validate(MYSQL).getErrorMessages())).contains("tableName");
    }

    @Test
    void alterTableOnlineChecksItsBodyInValidation() {
        AlterTableOnlineChange change = new AlterTableOnlineChange();
        change.setTableName("orders");
        change.setAlter("ADD COLUMN a INT; DROP TABLE orders");
        assertThat(String.join("\n", change.validate(MYSQL).getErrorMessages()))
                .contains("orders", "more than one statement");
        change.setAlter("ADD COLUMN a INT");
        assertThat(change.validate(MYSQL).getErrorMessages()).isEmpty();
        assertThat(alterOf(change)).isEqualTo("ADD COLUMN a INT");
    }

    private static AddColumnConfig column(String name, String type, String defaultValue) {
        AddColumnConfig column = new AddColumnConfig();
        column.setName(name);
        column.setType(type);
        if (defaultValue != null) {
            column.setDefaultValue(defaultValue);
        }
        return column;
    }

    private static AddColumnConfig indexColumn(String name) {
        AddColumnConfig column = new AddColumnConfig();
        column.setName(name);
        return column;
    }

    private static String alterOf(Change change) {
        SqlStatement[] statements = change.generateStatements(MYSQL);
        assertThat(statements).hasSize(1).allMatch(OnlineAlterStatement.class::isInstance);
        return ((OnlineAlterStatement) statements[0]).getAlter();
    }

}
