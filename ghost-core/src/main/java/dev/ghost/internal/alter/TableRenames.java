package dev.ghost.internal.alter;

import java.util.List;

/**
 * Recognises statements that only rename tables: {@code RENAME TABLE a TO b[, c TO d ...]} and
 * {@code ALTER TABLE a RENAME [TO|AS] b} with no other change. A cut-over consists of such statements, and they reach
 * the binlog while it is read, so the replay must tell them from the statements that would break a migration.
 */
public final class TableRenames {

    private TableRenames() {
    }

    /** Whether {@code sql} only renames tables; false for anything else, and for text that does not tokenize. */
    public static boolean isRenameOnly(String sql) {
        List<Token> tokens;
        try {
            tokens = AlterTokenizer.tokenize(sql);
        } catch (IllegalArgumentException unterminated) {
            return false;
        }
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(";")) {
            tokens = tokens.subList(0, tokens.size() - 1);
        }
        if (tokens.size() >= 2 && tokens.get(0).is("RENAME") && (tokens.get(1).is("TABLE") || tokens.get(1).is("TABLES"))) {
            return true; // RENAME TABLE renames tables, and nothing else
        }
        return isAlterRenameOnly(tokens);
    }

    /** ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name [WAIT n | NOWAIT] RENAME [TO | AS] name, and nothing more. */
    private static boolean isAlterRenameOnly(List<Token> tokens) {
        int at = 0;
        if (!is(tokens, at++, "ALTER")) {
            return false;
        }
        while (is(tokens, at, "ONLINE") || is(tokens, at, "IGNORE")) {
            at++;
        }
        if (!is(tokens, at++, "TABLE")) {
            return false;
        }
        if (is(tokens, at, "IF") && is(tokens, at + 1, "EXISTS")) {
            at += 2;
        }
        at = afterName(tokens, at);
        if (at < 0) {
            return false;
        }
        if (is(tokens, at, "WAIT") && at + 1 < tokens.size() && tokens.get(at + 1).kind() == Token.Kind.NUMBER) {
            at += 2;
        } else if (is(tokens, at, "NOWAIT")) {
            at++;
        }
        if (!is(tokens, at++, "RENAME")) {
            return false;
        }
        if (is(tokens, at, "TO") || is(tokens, at, "AS")) {
            at++;
        }
        return afterName(tokens, at) == tokens.size();
    }

    /** The index after a possibly qualified table name starting at {@code at}; -1 when there is none. */
    private static int afterName(List<Token> tokens, int at) {
        if (at >= tokens.size() || !tokens.get(at).isName()) {
            return -1;
        }
        at++;
        if (at + 1 < tokens.size() && tokens.get(at).isSymbol(".") && tokens.get(at + 1).isName()) {
            at += 2;
        }
        return at;
    }

    private static boolean is(List<Token> tokens, int at, String keyword) {
        return at < tokens.size() && tokens.get(at).is(keyword);
    }
}
