package dev.ghost.internal.alter;

import java.util.Locale;

/**
 * One token of an ALTER statement.
 *
 * @param kind  what it is
 * @param text  the identifier or word without quotes (backquotes undone), the string's content, or the symbol
 */
record Token(Kind kind, String text) {

    enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL }

    /** An unquoted word equal to {@code keyword}, ignoring case; a backquoted name is never a keyword. */
    boolean is(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
    }

    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }
}
