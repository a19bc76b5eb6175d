package org.bpf4j.runtime.helpers;

import org.bpf4j.runtime.memory.Memory;

/**
 * The formatting of {@code bpf_trace_printk}: at most three arguments; conversions {@code %d %i %u %x %X %c %s %p
 * %%} with the length modifiers {@code l} and {@code ll}; {@code %s} reads a NUL-terminated string from program
 * memory. Anything else is an error, as the kernel refuses it (-EINVAL).
 */
final class TraceFormat {
    private TraceFormat() {}

    static final int MAX_STRING = 256;

    /** The formatted line, or null when the format is invalid. */
    static String format(Memory memory, String fmt, long a1, long a2, long a3) {
        long[] args = {a1, a2, a3};
        int used = 0;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i >= fmt.length()) {
                return null;
            }
            if (fmt.charAt(i) == '%') {
                out.append('%');
                continue;
            }
            int longs = 0;
            while (i < fmt.length() && fmt.charAt(i) == 'l' && longs < 2) {
                longs++;
                i++;
            }
            if (i >= fmt.length() || used == 3) {
                return null;
            }
            long v = args[used++];
            switch (fmt.charAt(i)) {
                case 'd', 'i' -> out.append(longs == 0 ? Long.toString((int) v) : Long.toString(v));
                case 'u' -> out.append(longs == 0 ? Integer.toUnsignedString((int) v) : Long.toUnsignedString(v));
                case 'x' -> out.append(longs == 0 ? Integer.toHexString((int) v) : Long.toHexString(v));
                case 'X' -> out.append((longs == 0 ? Integer.toHexString((int) v) : Long.toHexString(v)).toUpperCase());
                case 'c' -> out.append((char) (v & 0xff));
                case 'p' -> out.append("0x").append(Long.toHexString(v));
                case 's' -> out.append(string(memory, v));
                default -> {
                    return null;
                }
            }
        }
        return out.toString();
    }

    /** A NUL-terminated string in program memory, at most {@link #MAX_STRING} bytes. */
    static String string(Memory memory, long address) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < MAX_STRING; i++) {
            int b = (int) memory.load8(address + i);
            if (b == 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
