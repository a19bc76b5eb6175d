package org.bpf4j.core.asm;

import java.util.ArrayList;
import java.util.List;

/** The tokens of one {@link Syntax#LLVM} line, with a cursor and the checks the parser needs. */
final class Tokens {
    enum Kind { IDENT, NUMBER, PUNCT, END }

    record Token(Kind kind, String text) {
        boolean is(String s) {
            return kind != Kind.END && kind != Kind.NUMBER && text.equals(s);
        }

        String shown() {
            return kind == Kind.END ? "end of line" : "'" + text + "'";
        }
    }

    // Longest first, so that "<<=" wins over "<" and "<=".
    private static final String[] PUNCT = {
        "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", ">=", "<=",
        "<", ">", "=", "&", "+", "-", "*", "(", ")", "[", "]", ",", ":"
    };

    private final List<Token> tokens = new ArrayList<>();
    private final int line;
    private int pos;

    Tokens(String text, int line) {
        this.line = line;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Syntax.isLabelChar(c, true)) {
                int j = i + 1;
                while (j < text.length() && Syntax.isLabelChar(text.charAt(j), false)) {
                    j++;
                }
                tokens.add(new Token(Kind.IDENT, text.substring(i, j)));
                i = j;
            } else if (c >= '0' && c <= '9') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) < 128 && Character.isLetterOrDigit(text.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(i, j)));
                i = j;
            } else {
                String p = punct(text, i);
                if (p == null) {
                    throw new AssemblyException(line, "unexpected character '" + c + "'");
                }
                tokens.add(new Token(Kind.PUNCT, p));
                i += p.length();
            }
        }
    }

    private static String punct(String text, int at) {
        for (String p : PUNCT) {
            if (text.startsWith(p, at)) {
                return p;
            }
        }
        return null;
    }

    int line() {
        return line;
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        int i = pos + ahead;
        return i < tokens.size() ? tokens.get(i) : new Token(Kind.END, "");
    }

    Token next() {
        Token t = peek();
        if (pos < tokens.size()) {
            pos++;
        }
        return t;
    }

    /** Consumes the token if it is the punctuation or word {@code s}. */
    boolean accept(String s) {
        if (peek().is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(String s) {
        if (!accept(s)) {
            throw error("expected '" + s + "'");
        }
    }

    /** Fails unless the whole line has been read. */
    void end() {
        if (peek().kind() != Kind.END) {
            throw new AssemblyException(line, "unexpected " + peek().shown() + " at end of instruction");
        }
    }

    /** An optionally signed number, as its text (e.g. {@code -0x8}). */
    String number(String what) {
        String sign = accept("-") ? "-" : accept("+") ? "+" : "";
        Token t = next();
        if (t.kind() != Kind.NUMBER) {
            throw new AssemblyException(line, what + " expected, not " + t.shown());
        }
        return sign + t.text();
    }

    boolean atNumber() {
        Token t = peek();
        return t.kind() == Kind.NUMBER || ((t.is("-") || t.is("+")) && peek(1).kind() == Kind.NUMBER);
    }

    AssemblyException error(String expected) {
        return new AssemblyException(line, expected + ", not " + peek().shown());
    }
}
