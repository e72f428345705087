package dev.ghost.binlog.internal;

import dev.ghost.binlog.internal.SqlTokens.Kind;
import dev.ghost.binlog.internal.SqlTokens.Mode;
import dev.ghost.binlog.internal.SqlTokens.Token;
import dev.ghost.spi.TableName;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/*
 * Finds which watched tables a logged statement names. It does not parse SQL: every name in the text, bare or
 * qualified, counts as a possible table reference, so a column or alias that happens to share a watched table's name
 * is reported too. That errs on the side that stops a migration (a false alarm fails closed; a missed statement would
 * lose data). Strings and comments are not names; executable comments are code.
 */
final class StatementTables {

    /** A watched table, with its names as the binlog client decodes them from a query event's bytes. */
    private record Watched(TableName table, String schema, String name) {
    }

    private final List<Watched> watched;

    StatementTables(List<TableName> tables) {
        this.watched = tables.stream().map(table -> new Watched(table, WatchedTables.asClientDecodes(table.schema()),
                WatchedTables.asClientDecodes(table.name()))).toList();
    }

    /**
     * The watched tables {@code sql} names, in the order it first names them; empty when it names none.
     *
     * @param database the session's default database, for unqualified names; null or empty when it had none (an
     *                 unqualified name then matches a watched table of that name in any schema)
     */
    List<TableName> named(String database, String sql) {
        if (sql == null || isTransactionControl(sql)) {
            return List.of();
        }
        Set<TableName> found = new LinkedHashSet<>();
        // The session's sql_mode is unknown: read the text every way the server could have.
        for (Mode mode : Mode.ALL) {
            collect(SqlTokens.tokenize(sql, mode), database, found);
            if (found.size() == watched.size()) {
                break;
            }
        }
        return List.copyOf(found);
    }

    /** The statements of every transaction on servers that log BEGIN; they name no table, no need to read them. */
    private static boolean isTransactionControl(String sql) {
        String trimmed = sql.strip();
        return trimmed.equalsIgnoreCase("BEGIN") || trimmed.equalsIgnoreCase("COMMIT")
                || trimmed.equalsIgnoreCase("ROLLBACK");
    }

    private void collect(List<Token> tokens, String database, Set<TableName> found) {
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isName() || (i > 0 && tokens.get(i - 1).kind() == Kind.DOT)) {
                continue; // not a name, or the middle of a chain already looked at
            }
            List<String> chain = new ArrayList<>();
            chain.add(tokens.get(i).text());
            int next = i + 1;
            while (next + 1 < tokens.size() && tokens.get(next).kind() == Kind.DOT && tokens.get(next + 1).isName()) {
                chain.add(tokens.get(next + 1).text());
                next += 2;
            }
            // a: a table of the default database. a.b: table b of database a, or column b of table a.
            // a.b.c: column c of table b of database a.
            matchUnqualified(chain.get(0), database, found);
            if (chain.size() >= 2) {
                matchQualified(chain.get(0), chain.get(1), found);
            }
        }
    }

    private void matchUnqualified(String name, String database, Set<TableName> found) {
        boolean anySchema = database == null || database.isEmpty();
        for (Watched table : watched) {
            if (sameName(table.name(), name) && (anySchema || sameName(table.schema(), database))) {
                found.add(table.table());
            }
        }
    }

    private void matchQualified(String schema, String name, Set<TableName> found) {
        for (Watched table : watched) {
            if (sameName(table.name(), name) && sameName(table.schema(), schema)) {
                found.add(table.table());
            }
        }
    }

    /*
     * Case-insensitive, whatever lower_case_table_names says: on a server that tells `T` from `t`, a statement on
     * `T` is a false alarm, which is the safe side.
     */
    private static boolean sameName(String watchedName, String written) {
        return watchedName.equalsIgnoreCase(written)
                || watchedName.toLowerCase(Locale.ROOT).equals(written.toLowerCase(Locale.ROOT));
    }
}
