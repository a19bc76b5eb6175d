package org.bpf4j.runtime.maps;

/**
 * JSON the way bpftool's json_writer prints it: compact for {@code -j}, and for {@code -p} its own pretty form
 * (a newline and 4 spaces per level before every member name and every closing bracket of a non-empty
 * container, array elements on one line, {@code "name": value}). Output ends with a newline.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final boolean pretty;
    private int depth;
    private boolean separate;

    JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    private void endOfRecord() {
        if (separate) {
            out.append(',');
        }
        separate = true;
    }

    private void endOfLine() {
        if (pretty) {
            out.append('\n');
            out.repeat(' ', depth * 4);
        }
    }

    private void begin(char c) {
        endOfRecord();
        out.append(c);
        depth++;
        separate = false;
    }

    private void end(char c) {
        depth--;
        if (separate) {
            endOfLine();
        }
        out.append(c);
        separate = true;
    }

    JsonWriter startArray() {
        begin('[');
        return this;
    }

    JsonWriter endArray() {
        end(']');
        return this;
    }

    JsonWriter startObject() {
        begin('{');
        return this;
    }

    JsonWriter endObject() {
        end('}');
        return this;
    }

    JsonWriter name(String name) {
        endOfRecord();
        endOfLine();
        separate = false;
        quote(name);
        out.append(':');
        if (pretty) {
            out.append(' ');
        }
        return this;
    }

    JsonWriter string(String s) {
        endOfRecord();
        quote(s);
        return this;
    }

    JsonWriter number(long n) {
        endOfRecord();
        out.append(n);
        return this;
    }

    /** Bytes as bpftool prints them without BTF: {@code ["0x0a","0x00"]}. */
    JsonWriter hexBytes(byte[] bytes, int from, int length) {
        startArray();
        for (int i = from; i < from + length; i++) {
            endOfRecord();
            out.append("\"0x").append(Character.forDigit((bytes[i] >> 4) & 0xf, 16))
                    .append(Character.forDigit(bytes[i] & 0xf, 16)).append('"');
        }
        return endArray();
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
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

    /** The document, with bpftool's final newline. */
    String finish() {
        return out + "\n";
    }
}
