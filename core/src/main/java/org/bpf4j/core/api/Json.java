package org.bpf4j.core.api;

/**
 * A JSON writer that prints what bpftool's {@code json_writer} prints: compact for {@code -j}; for {@code -p},
 * a newline and four spaces per level before each member name and before the closing bracket of a container that
 * has something in it, array elements kept on their line, {@code "name": value}. The document ends with a newline.
 */
public final class Json {
    private final StringBuilder out = new StringBuilder();
    private final boolean pretty;
    private int level;
    /** Whether the next value needs a comma before it. */
    private boolean comma;

    public Json(boolean pretty) {
        this.pretty = pretty;
    }

    private void separator() {
        if (comma) {
            out.append(',');
        }
        comma = true;
    }

    private void newline() {
        if (pretty) {
            out.append('\n').append("    ".repeat(level));
        }
    }

    private Json open(char c) {
        separator();
        out.append(c);
        level++;
        comma = false;
        return this;
    }

    private Json close(char c) {
        level--;
        if (comma) {
            newline();
        }
        out.append(c);
        comma = true;
        return this;
    }

    public Json beginObject() {
        return open('{');
    }

    public Json endObject() {
        return close('}');
    }

    public Json beginArray() {
        return open('[');
    }

    public Json endArray() {
        return close(']');
    }

    /** A member name; its value follows. */
    public Json name(String name) {
        separator();
        newline();
        comma = false;
        string0(name);
        out.append(pretty ? ": " : ":");
        return this;
    }

    public Json value(String s) {
        separator();
        string0(s);
        return this;
    }

    public Json value(long n) {
        separator();
        out.append(n);
        return this;
    }

    public Json value(boolean b) {
        separator();
        out.append(b);
        return this;
    }

    /** Bytes as bpftool prints raw keys and values: {@code ["0x0a","0x00"]}. */
    public Json hex(byte[] bytes) {
        beginArray();
        for (byte x : bytes) {
            separator();
            out.append('"').append(String.format("0x%02x", x & 0xff)).append('"');
        }
        return endArray();
    }

    public Json field(String name, String value) {
        return name(name).value(value);
    }

    public Json field(String name, long value) {
        return name(name).value(value);
    }

    public Json field(String name, boolean value) {
        return name(name).value(value);
    }

    private void string0(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The document, newline-terminated as bpftool ends it. */
    public String finish() {
        return out.append('\n').toString();
    }
}
