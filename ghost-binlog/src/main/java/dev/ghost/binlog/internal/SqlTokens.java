package dev.ghost.binlog.internal;

import java.util.ArrayList;
import java.util.List;

// Splits the text of a logged statement into the tokens that can name a table: words, quoted identifiers and dots.
final class SqlTokens {

    enum Kind {
        /** An unquoted word: a keyword or a bare identifier. */
        WORD,
        /** A backquoted identifier (or a double-quoted one under ANSI_QUOTES), quotes undone. */
        QUOTED,
        /** The dot of a qualified name. */
        DOT,
        /** Anything else: a string literal, a number sign, a parenthesis, an operator. Separates names. */
        OTHER
    }

    record Token(Kind kind, String text) {

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    /**
     * How the server read the statement. The binlog client does not give the session's sql_mode, so callers that
     * must not miss a name read the text each way: a double-quoted text is a string unless ANSI_QUOTES, and a
     * backslash escapes the next character in a string unless NO_BACKSLASH_ESCAPES.
     */
    record Mode(boolean ansiQuotes, boolean backslashEscapes) {

        static final List<Mode> ALL = List.of(new Mode(false, true), new Mode(true, true), new Mode(false, false),
                new Mode(true, false));
    }

    private static final Token OTHER = new Token(Kind.OTHER, "");
    private static final Token DOT = new Token(Kind.DOT, ".");

    private final String text;
    private final Mode mode;
    private int at;
    /** Inside {@code /*! ... *}{@code /} or {@code /*M! ... *}{@code /}: its body is code, its end is skipped. */
    private boolean inExecutableComment;

    private SqlTokens(String text, Mode mode) {
        this.text = text;
        this.mode = mode;
    }

    /** The tokens of {@code text} read in {@code mode}; an unterminated quote runs to the end of the text. */
    static List<Token> tokenize(String text, Mode mode) {
        return new SqlTokens(text, mode).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (at >= text.length()) {
                return tokens;
            }
            char c = text.charAt(at);
            if (c == '`') {
                tokens.add(new Token(Kind.QUOTED, quoted('`', false)));
            } else if (c == '"' && mode.ansiQuotes()) {
                tokens.add(new Token(Kind.QUOTED, quoted('"', false)));
            } else if (c == '\'' || c == '"') {
                quoted(c, mode.backslashEscapes());
                tokens.add(OTHER);
            } else if (c == '.') {
                at++;
                tokens.add(DOT);
            } else if (isWordChar(c)) {
                int start = at;
                while (at < text.length() && isWordChar(text.charAt(at))) {
                    at++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(start, at)));
            } else {
                at++;
                tokens.add(OTHER);
            }
        }
    }

    /** The characters of an unquoted identifier (digits too: {@code 1t} is a valid name). */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || c > 0x7f;
    }

    private void skipSpaceAndComments() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#' || isDashComment()) {
                int end = text.indexOf('\n', at);
                at = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*!", at) || text.startsWith("/*M!", at)) {
                // Executable comment, MySQL's or MariaDB's: its body is SQL whatever the version number says,
                // since a name in it may be what the server ran.
                at += text.charAt(at + 2) == 'M' ? 4 : 3;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                inExecutableComment = true;
            } else if (inExecutableComment && text.startsWith("*/", at)) {
                at += 2;
                inExecutableComment = false;
            } else if (text.startsWith("/*", at)) {
                int end = text.indexOf("*/", at + 2);
                at = end < 0 ? text.length() : end + 2;
            } else {
                return;
            }
        }
    }

    /** {@code --} starts a comment only when a space or control character (or the end) follows it. */
    private boolean isDashComment() {
        if (!text.startsWith("--", at)) {
            return false;
        }
        return at + 2 >= text.length() || text.charAt(at + 2) <= ' ';
    }

    /** Reads a quoted text from its opening quote; a doubled quote stands for one. */
    private String quoted(char quote, boolean backslashEscapes) {
        StringBuilder out = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (backslashEscapes && c == '\\' && at + 1 < text.length()) {
                out.append(text.charAt(at + 1));
                at += 2;
            } else if (c == quote) {
                if (at + 1 < text.length() && text.charAt(at + 1) == quote) {
                    out.append(quote);
                    at += 2;
                } else {
                    at++;
                    return out.toString();
                }
            } else {
                out.append(c);
                at++;
            }
        }
        return out.toString();
    }
}
