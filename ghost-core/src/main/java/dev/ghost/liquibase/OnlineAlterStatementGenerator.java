package dev.ghost.liquibase;

import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;
import liquibase.structure.core.Table;

/**
 * Liquibase's SQL generator for {@link OnlineAlterStatement}: the statement's printed form (an SQL comment saying
 * that it runs online through ghost, then the equivalent ALTER). Liquibase uses it to validate the statement and to
 * show it; {@code update} does not send it, it calls {@link OnlineAlterStatement#execute} instead.
 */
public final class OnlineAlterStatementGenerator extends AbstractSqlGenerator<OnlineAlterStatement> {

    /** Liquibase loads this class through its ServiceLoader file. */
    public OnlineAlterStatementGenerator() {
    }

    /**
     * Generates for MySQL and MariaDB only.
     *
     * @param statement the statement
     * @param database  the database the changelog runs on
     * @return whether it is MySQL or MariaDB
     */
    @Override
    public boolean supports(OnlineAlterStatement statement, Database database) {
        return database instanceof MySQLDatabase;
    }

    /**
     * Checks that the statement names its table and ALTER body (the database may be the connection's default).
     *
     * @param statement the statement
     * @param database  the database the changelog runs on
     * @param chain     the rest of the generator chain
     * @return the problems found, empty when none
     */
    @Override
    public ValidationErrors validate(OnlineAlterStatement statement, Database database, SqlGeneratorChain<OnlineAlterStatement> chain) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("tableName", statement.getTableName());
        errors.checkRequiredField("alter", statement.getAlter());
        return errors;
    }

    /**
     * The statement's printed form, {@link OnlineAlterStatement#preview()}.
     *
     * @param statement the statement
     * @param database  the database the changelog runs on
     * @param chain     the rest of the generator chain
     * @return one SQL text: the comment and the equivalent ALTER
     */
    @Override
    public Sql[] generateSql(OnlineAlterStatement statement, Database database, SqlGeneratorChain<OnlineAlterStatement> chain) {
        return new Sql[]{new UnparsedSql(statement.preview(),
                new Table().setName(statement.getTableName()))};
    }
}
