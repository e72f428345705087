package dev.ghost.liquibase;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawParameterizedSqlStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every online change does the same way: derive the ALTER TABLE body from the SQL that Liquibase's own MySQL
 * generators make for the standard change, turn it into an {@link OnlineAlterStatement} (or into its printed form
 * for {@code update-sql}), and report what cannot run online as a validation error.
 */
final class OnlineChanges {

    /** One identifier, backquoted or bare, possibly qualified: {@code `db`.`t`}, {@code db.t}, {@code t}. */
    private static final String NAME = "((?:`(?:[^`]|``)*`|[^\\s`.(]+)(?:\\.(?:`(?:[^`]|``)*`|[^\\s`.(]+))*)";
    private static final Pattern ALTER_TABLE = Pattern.compile("(?is)^\\s*ALTER\\s+TABLE\\s+" + NAME + "\\s+(.+?)\\s*;?\\s*$");
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "(?is)^\\s*CREATE\\s+(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\s+" + NAME + "\\s+ON\\s+" + NAME
                    + "\\s*(\\(.+)\\s*;?\\s*$");
    private static final Pattern DROP_INDEX = Pattern.compile(
            "(?is)^\\s*DROP\\s+INDEX\\s+" + NAME + "\\s+ON\\s+" + NAME + "\\s*;?\\s*$");

    private OnlineChanges() {
    }

    static String changeName(Change change) {
        return Scope.getCurrentScope().getSingleton(ChangeFactory.class).getChangeMetaData(change).getName();
    }

    /** The database (MySQL schema) of the table: the change's catalog, else its schema, else the connection's. */
    static String databaseName(Database database, String catalogName, String schemaName) {
        if (catalogName != null && !catalogName.isBlank()) {
            return catalogName;
        }
        if (schemaName != null && !schemaName.isBlank()) {
            return schemaName;
        }
        return database.getDefaultCatalogName();
    }

    /**
     * The statements of an online change: its {@link OnlineAlterStatement}, or for {@code update-sql} (Liquibase's
     * JDBC executor is then a {@link LoggingExecutor}) the statement's printed form, so that the output is a comment
     * and an ALTER rather than Liquibase's warning about prepared statements.
     */
    static SqlStatement[] statements(Change change, Database database, String catalogName, String schemaName,
                                     String tableName, String alter) {
        OnlineAlterStatement statement = new OnlineAlterStatement(changeName(change),
                databaseName(database, catalogName, schemaName), tableName, alter, database);
        if (isOutputOnly(database)) {
            return new SqlStatement[]{new RawParameterizedSqlStatement(statement.preview())};
        }
        return new SqlStatement[]{statement};
    }

    static boolean isOutputOnly(Database database) {
        ExecutorService executors = Scope.getCurrentScope().getSingleton(ExecutorService.class);
        return executors.getExecutor("jdbc", database) instanceof LoggingExecutor;
    }

    /**
     * The online change's statements, from the standard change's statements: each must become an ALTER of the
     * change's own table (or a CREATE / DROP INDEX on it), and they are joined into one ALTER body, one ghost run.
     *
     * @throws UnexpectedLiquibaseException when a statement is something else (an UPDATE that fills a new column,
     *                                      for instance), or the standard statements do not validate
     */
    static SqlStatement[] fromStandard(Change change, Database database, String catalogName, String schemaName,
                                       String tableName, SqlStatement[] standard) {
        return statements(change, database, catalogName, schemaName, tableName,
                alterBody(change, database, tableName, standard));
    }

    static String alterBody(Change change, Database database, String tableName, SqlStatement[] standard) {
        String name = changeName(change);
        if (!(database instanceof MySQLDatabase)) {
            throw new UnexpectedLiquibaseException(name + " runs online through ghost, on MySQL and MariaDB only, not"
                    + " on " + database.getDisplayName());
        }
        if (tableName == null || tableName.isBlank()) {
            throw new UnexpectedLiquibaseException(name + " needs tableName: ghost migrates one named table");
        }
        List<String> clauses = new ArrayList<>();
        SqlGeneratorFactory generators = SqlGeneratorFactory.getInstance();
        for (SqlStatement statement : standard) {
            ValidationErrors errors = generators.validate(statement, database);
            if (errors.hasErrors()) {
                throw new UnexpectedLiquibaseException(String.join("; ", errors.getErrorMessages()));
            }
            for (Sql sql : generators.generateSql(statement, database)) {
                clauses.add(clause(name, tableName, sql.toSql()));
            }
        }
        if (clauses.isEmpty()) {
            throw new UnexpectedLiquibaseException(name + " on table " + tableName + " makes no ALTER for ghost to run");
        }
        return String.join(", ", clauses);
    }

    /** One generated statement as an ALTER TABLE clause of {@code tableName}. */
    static String clause(String changeName, String tableName, String sql) {
        Matcher alter = ALTER_TABLE.matcher(sql);
        if (alter.matches() && namesTable(alter.group(1), tableName)) {
            return alter.group(2);
        }
        Matcher create = CREATE_INDEX.matcher(sql);
        if (create.matches() && namesTable(create.group(3), tableName)) {
            String kind = create.group(1) == null ? "" : create.group(1).trim().toUpperCase() + " ";
            return "ADD " + kind + "INDEX " + create.group(2) + " " + create.group(4).trim();
        }
        Matcher drop = DROP_INDEX.matcher(sql);
        if (drop.matches() && namesTable(drop.group(2), tableName)) {
            return "DROP INDEX " + drop.group(1);
        }
        throw new UnexpectedLiquibaseException(changeName + " on table " + tableName + " would run \"" + sql
                + "\", which is not an ALTER of that table, so it cannot run online through ghost (an attribute "
                + "such as value or valueComputed fills rows with an UPDATE): remove that attribute (a defaultValue "
                + "is part of the ALTER), or put that part in a standard change of its own");
    }

    /** Whether a possibly qualified, possibly backquoted name ends with the table's name. */
    static boolean namesTable(String qualified, String tableName) {
        String last = qualified;
        Matcher part = Pattern.compile("`(?:[^`]|``)*`|[^.`]+").matcher(qualified);
        while (part.find()) {
            last = part.group();
        }
        if (last.startsWith("`")) {
            last = last.substring(1, last.length() - 1).replace("``", "`");
        }
        return last.equalsIgnoreCase(tableName);
    }

    /**
     * Validation of an online change: the standard change's own validation, which calls back into the online
     * change's statements, with a derivation failure reported as a validation error rather than thrown.
     */
    static ValidationErrors validate(Change change, Database database, Supplier<ValidationErrors> standard) {
        ValidationErrors errors = new ValidationErrors(change);
        if (!(database instanceof MySQLDatabase)) {
            errors.addError(changeName(change) + " runs online through ghost, on MySQL and MariaDB only, not on "
                    + database.getDisplayName());
            return errors;
        }
        try {
            errors.addAll(standard.get());
        } catch (UnexpectedLiquibaseException e) {
            errors.addError(e.getMessage());
        }
        return errors;
    }
}
