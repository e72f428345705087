package dev.ghost.internal.alter;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits ALTER text into tokens the way the server reads it: backquoted identifiers (with doubled backquotes),
 * single- and double-quoted strings (with backslash and doubled-quote escapes), comments ({@code -- }, {@code #},
 * {@code /* ... *}{@code /}; the body of a versioned {@code /*! ... *}{@code /} or {@code /*M! ... *}{@code /}
 * comment counts as code).
 */
final class AlterTokenizer {

    private final String text;
    private int at;

    private AlterTokenizer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String text) {
        return new AlterTokenizer(text).all();
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
                tokens.add(new Token(Token.Kind.QUOTED_IDENTIFIER, quoted('`', false)));
            } else if (c == '\'' || c == '"') {
                tokens.add(new Token(Token.Kind.STRING, quoted(c, true)));
            } else if (Character.isDigit(c)) {
                int start = at;
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
                tokens.add(new Token(Token.Kind.NUMBER, text.substring(start, at)));
            } else if (isWordChar(c)) {
                int start = at;
                while (at < text.length() && isWordChar(text.charAt(at))) {
                    at++;
                }
                tokens.add(new Token(Token.Kind.WORD, text.substring(start, at)));
            } else {
                at++;
                tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c)));
            }
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }

    private void skipSpaceAndComments() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#' || (text.startsWith("--", at)
                    && (at + 2 >= text.length() || Character.isWhitespace(text.charAt(at + 2))))) {
                int end = text.indexOf('\n', at);
                at = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*!", at) || text.startsWith("/*M!", at)) {
                at += text.charAt(at + 2) == 'M' ? 4 : 3; // MySQL's and MariaDB's executable comments
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++; // the version number; the body is code, and its closing */ is skipped below
                }
            } else if (text.startsWith("*/", at)) {
                at += 2; // the end of a versioned comment
            } else if (text.startsWith("/*", at)) {
                int end = text.indexOf("*/", at + 2);
                at = end < 0 ? text.length() : end + 2;
            } else {
                return;
            }
        }
    }

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
        throw new IllegalArgumentException("unterminated " + quote + "-quoted text in the ALTER statement");
    }
}
