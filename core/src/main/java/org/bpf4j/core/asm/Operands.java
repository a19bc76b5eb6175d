package org.bpf4j.core.asm;

import java.util.ArrayList;
import java.util.List;

/** Splitting an operand list at the commas that are not inside brackets or parentheses. */
final class Operands {
    private Operands() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(text.substring(start).trim());
        return out;
    }

    /** True for a label name: a letter, {@code _}, {@code .} or {@code $}, then also digits. */
    static boolean isIdentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Syntax.isLabelChar(s.charAt(i), i == 0)) {
                return false;
            }
        }
        return true;
    }
}
