package org.bpf4j.runtime.helpers;

import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;

/**
 * The formatting of {@code bpf_trace_printk}, as the kernel's {@code bpf_bprintf_prepare} (kernel/bpf/helpers.c)
 * checks a format and {@code bstr_printf} (lib/vsprintf.c) prints it:
 *
 * <ul>
 *   <li>at most three conversions; every format character printable ASCII or white space;
 *   <li>flags {@code 0 + - space} and a width, no precision;
 *   <li>{@code %d %i %u %x %X} of an int, with {@code l} or {@code ll} of a long; {@code %c}; {@code %s},
 *       {@code %pks}, {@code %pus} of a NUL-terminated string (an address that cannot be read prints nothing);
 *       {@code %pI4 %pi4 %pI6 %pi6} of an IP address in memory (a width is ignored, as the kernel pre-formats
 *       the address); {@code %p %px %pK} of a pointer (16 hex digits;
 *       the kernel hashes {@code %p} and {@code %pK}, which user space cannot reproduce); {@code %ps %pS %pB} of
 *       a code address ({@code 0x} and hex, as the kernel prints an address that is no kernel symbol); {@code %%};
 *   <li>the arguments copied into a 512-byte buffer ({@code MAX_BPRINTF_BIN_ARGS}: 4 bytes per int, 8 per
 *       long and pointer, one per char, a string's bytes and NUL, an address's text and NUL), {@code -ENOSPC}
 *       when they do not fit, strings cut to what is left of it.
 * </ul>
 *
 * Anything else is {@code -EINVAL}.
 */
final class TraceFormat {
    private TraceFormat() {}

    /** MAX_BPRINTF_BIN_ARGS: the buffer the arguments are copied into. */
    static final int MAX_BIN_ARGS = 512;
    /** MAX_BPRINTF_BUF: the output buffer; longer lines are cut to one less. */
    static final int MAX_BUF = 1024;
    /** The longest string BPFabric's debug helper prints. */
    static final int MAX_STRING = 256;

    /** The formatted line (whole, even beyond {@link #MAX_BUF}), or an errno. */
    record Result(String text, int error) {
        static Result failed(int errno) {
            return new Result(null, errno);
        }
    }

    private static final int LEFT = 1, PLUS = 2, SPACE = 4, ZEROPAD = 8;

    static Result format(Memory memory, String fmt, long a1, long a2, long a3) {
        long[] args = {a1, a2, a3};
        int used = 0;
        int bin = 0; // bytes of the argument buffer taken
        StringBuilder out = new StringBuilder();
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            char c = fmt.charAt(i);
            if (c > 0x7e || c < 0x20 && !isSpace(c)) {
                return Result.failed(Errno.EINVAL);
            }
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (at(fmt, i + 1) == '%') {
                out.append('%');
                i++;
                continue;
            }
            if (used == args.length) {
                return Result.failed(Errno.EINVAL);
            }
            i++;
            int flags = 0;
            for (char f; (f = at(fmt, i)) == '0' || f == '+' || f == '-' || f == ' '; i++) {
                flags |= switch (f) {
                    case '-' -> LEFT;
                    case '+' -> PLUS;
                    case ' ' -> SPACE;
                    default -> ZEROPAD;
                };
            }
            int width = -1;
            if (at(fmt, i) >= '1' && at(fmt, i) <= '9') {
                width = 0;
                for (; at(fmt, i) >= '0' && at(fmt, i) <= '9'; i++) {
                    width = Math.min(width * 10 + at(fmt, i) - '0', 1 << 16);
                }
            }
            if ((flags & LEFT) != 0) {
                flags &= ~ZEROPAD;
            }
            long v = args[used++];
            char conv = at(fmt, i);
            if (conv == 'p') {
                char ext = at(fmt, i + 1);
                if (ext == 0 || isSpace(ext) || isPunct(ext)) {
                    // %p: the kernel prints a hash of the pointer; the pointer itself is the closest
                    bin = align4(bin) + 8;
                    if (bin > MAX_BIN_ARGS) {
                        return Result.failed(Errno.ENOSPC);
                    }
                    pointer(out, v, width, flags);
                    continue;
                }
                if ((ext == 'k' || ext == 'u') && at(fmt, i + 2) == 's') {
                    i += 2;
                    // continues as %s below
                } else if (ext == 'K' || ext == 'x' || ext == 's' || ext == 'S') {
                    i++;
                    bin = align4(bin) + 8;
                    if (bin > MAX_BIN_ARGS) {
                        return Result.failed(Errno.ENOSPC);
                    }
                    if (ext == 's' || ext == 'S') {
                        pad(out, "0x" + Long.toHexString(v), width, flags);
                    } else {
                        pointer(out, v, width, flags);
                    }
                    i = skipAlnum(fmt, i);
                    continue;
                } else if (ext == 'B') {
                    i++;
                    String text = "0x" + Long.toHexString(v);
                    bin += text.length() + 1;
                    out.append(text); // pre-formatted, printed without the width
                    i = skipAlnum(fmt, i);
                    continue;
                } else {
                    char kind = ext;
                    char version = at(fmt, i + 2);
                    if (kind != 'i' && kind != 'I' || version != '4' && version != '6') {
                        return Result.failed(Errno.EINVAL);
                    }
                    i += 2;
                    int size = version == '4' ? 4 : 16;
                    if (MAX_BIN_ARGS - bin < size) {
                        return Result.failed(Errno.ENOSPC);
                    }
                    String text = ip(memory, v, kind, size);
                    bin += text.length() + 1;
                    out.append(text); // pre-formatted, printed without the width (as the kernel does)
                    i = skipAlnum(fmt, i);
                    continue;
                }
            } else if (conv != 's') {
                if (conv == 'c') {
                    if (bin == MAX_BIN_ARGS) {
                        return Result.failed(Errno.ENOSPC);
                    }
                    bin++;
                    pad(out, String.valueOf((char) (v & 0xff)), width, flags & LEFT);
                    continue;
                }
                int size = 4;
                if (conv == 'l') {
                    size = 8;
                    conv = at(fmt, ++i);
                }
                if (conv == 'l') {
                    conv = at(fmt, ++i);
                }
                if (conv != 'i' && conv != 'd' && conv != 'u' && conv != 'x' && conv != 'X') {
                    return Result.failed(Errno.EINVAL);
                }
                bin = align4(bin) + size;
                if (bin > MAX_BIN_ARGS) {
                    return Result.failed(Errno.ENOSPC);
                }
                number(out, size == 4 ? (conv == 'd' || conv == 'i' ? (int) v : v & 0xffff_ffffL) : v, conv,
                        size, width, flags);
                continue;
            }
            // %s, %pks, %pus: a string must end the conversion
            char next = at(fmt, i + 1);
            if (next != 0 && !isSpace(next) && !isPunct(next)) {
                return Result.failed(Errno.EINVAL);
            }
            if (bin == MAX_BIN_ARGS) {
                return Result.failed(Errno.ENOSPC);
            }
            String text = copyString(memory, v, MAX_BIN_ARGS - bin);
            bin += text.length() + 1;
            pad(out, text, width, flags & LEFT);
        }
        return new Result(out.toString(), 0);
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    private static boolean isPunct(char c) {
        return c > 0x20 && c < 0x7f && !Character.isLetterOrDigit(c);
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    // bstr_printf skips the letters and digits after a %p extension
    private static int skipAlnum(String fmt, int i) {
        while (i + 1 < fmt.length() && Character.isLetterOrDigit(fmt.charAt(i + 1)) && fmt.charAt(i + 1) < 0x80) {
            i++;
        }
        return i;
    }

    // strncpy_from_kernel_nofault into what is left of the argument buffer: at most room - 1 bytes; an address
    // that cannot be read gives an empty string
    private static String copyString(Memory memory, long address, int room) {
        StringBuilder sb = new StringBuilder();
        try {
            for (int i = 0; i < room - 1; i++) {
                int b = (int) memory.load8(address + i);
                if (b == 0) {
                    break;
                }
                sb.append((char) b);
            }
        } catch (BpfFault e) {
            return "";
        }
        return sb.toString();
    }

    // lib/vsprintf.c's ip4_string and ip6_string, as bpf_bprintf_prepare pre-formats them; an address that
    // cannot be read reads as zeros
    private static String ip(Memory memory, long address, char kind, int size) {
        byte[] a = new byte[size];
        try {
            memory.read(address, a, 0, size);
        } catch (BpfFault e) {
            a = new byte[size];
        }
        StringBuilder sb = new StringBuilder();
        if (size == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                String d = Integer.toString(a[i] & 0xff);
                sb.append(kind == 'i' ? "000".substring(d.length()) + d : d);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                if (i > 0 && kind == 'I') {
                    sb.append(':');
                }
                sb.append(String.format("%02x%02x", a[i] & 0xff, a[i + 1] & 0xff));
            }
        }
        return sb.toString();
    }

    // pointer_string: 16 zero-padded lower-case hex digits unless a width was given
    private static void pointer(StringBuilder out, long v, int width, int flags) {
        if (width == -1) {
            width = 16;
            flags |= ZEROPAD;
        }
        number(out, v, 'x', 8, width, flags);
    }

    // lib/vsprintf.c number(): sign, then space or zero padding to the width, then the digits
    private static void number(StringBuilder out, long v, char conv, int size, int width, int flags) {
        boolean signed = conv == 'd' || conv == 'i';
        String digits;
        String sign = "";
        if (conv == 'x' || conv == 'X') {
            digits = Long.toHexString(v);
            if (conv == 'X') {
                digits = digits.toUpperCase(java.util.Locale.ROOT);
            }
        } else if (signed) {
            if (v < 0) {
                sign = "-";
            } else if ((flags & PLUS) != 0) {
                sign = "+";
            } else if ((flags & SPACE) != 0) {
                sign = " ";
            }
            digits = v < 0 ? Long.toUnsignedString(-v) : Long.toString(v);
        } else {
            digits = Long.toUnsignedString(v);
        }
        int padding = Math.max(0, width - sign.length() - digits.length());
        if ((flags & (LEFT | ZEROPAD)) == 0) {
            out.repeat(' ', padding);
        }
        out.append(sign);
        if ((flags & LEFT) == 0 && (flags & ZEROPAD) != 0) {
            out.repeat('0', padding);
        }
        out.append(digits);
        if ((flags & LEFT) != 0) {
            out.repeat(' ', padding);
        }
    }

    // strings and chars are padded with spaces
    private static void pad(StringBuilder out, String text, int width, int flags) {
        int padding = Math.max(0, width - text.length());
        if ((flags & LEFT) == 0) {
            out.repeat(' ', padding);
        }
        out.append(text);
        if ((flags & LEFT) != 0) {
            out.repeat(' ', padding);
        }
    }

    /** A NUL-terminated string in program memory, at most {@link #MAX_STRING} bytes (BPFabric's debug). */
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
