package org.bpf4j.core.asm;

import java.math.BigInteger;

/**
 * Parsing and printing of the numbers both syntaxes share: decimal or {@code 0x} hex, optionally signed.
 *
 * <p>A 32-bit immediate written in decimal must fit a signed int; written in hex it may also be a bit pattern up
 * to {@code 0xffffffff} (as the conformance suite's negative tests demand). A 64-bit immediate may be anything
 * from -2^63 to 2^64-1. Offsets are signed 16-bit values.
 */
final class Numbers {
    private Numbers() {}

    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger U32_MAX = BigInteger.valueOf(0xffff_ffffL);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** True when the text looks like a number (optional sign, then a digit). */
    static boolean isNumber(String text) {
        int i = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        return i < text.length() && Character.isDigit(text.charAt(i));
    }

    /** The value of {@code [+-]?(0x[0-9a-f]+|[0-9]+)}, case-insensitive. */
    static BigInteger parse(String text, int line) {
        String t = text.trim();
        boolean negative = t.startsWith("-");
        String digits = negative || t.startsWith("+") ? t.substring(1) : t;
        int radix = 10;
        if (digits.length() > 2 && digits.charAt(0) == '0' && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')) {
            radix = 16;
            digits = digits.substring(2);
        }
        if (digits.isEmpty() || digits.length() > 40 || !allDigits(digits, radix)) {
            throw new AssemblyException(line, "invalid number " + text.trim());
        }
        BigInteger v = new BigInteger(digits, radix);
        return negative ? v.negate() : v;
    }

    private static boolean allDigits(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0 || s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String text) {
        String t = text.trim();
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        return t.startsWith("0x") || t.startsWith("0X");
    }

    /** A 32-bit immediate: signed decimal, or hex up to the bit pattern {@code 0xffffffff}. */
    static int imm32(String text, int line) {
        BigInteger v = parse(text, line);
        BigInteger max = isHex(text) ? U32_MAX : INT_MAX;
        if (v.compareTo(INT_MIN) < 0 || v.compareTo(max) > 0) {
            throw new AssemblyException(line, "immediate " + text.trim() + " out of 32-bit range");
        }
        return (int) v.longValue();
    }

    /** A 64-bit immediate, -2^63 to 2^64-1; values above 2^63-1 are bit patterns. */
    static long imm64(String text, int line) {
        BigInteger v = parse(text, line);
        if (v.compareTo(LONG_MIN) < 0 || v.compareTo(U64_MAX) > 0) {
            throw new AssemblyException(line, "immediate " + text.trim() + " out of 64-bit range");
        }
        return v.longValue();
    }

    /** A signed value that must fit in {@code bits} bits; {@code what} names it in the error, e.g. "offset". */
    static long signed(String text, int bits, String what, int line) {
        BigInteger v = parse(text, line);
        if (v.bitLength() > bits - 1) {
            throw new AssemblyException(line, what + " " + text.trim() + " out of " + bits + "-bit range");
        }
        return v.longValue();
    }

    /** LLVM's form of a signed value: {@code 0x1f}, {@code -0x1}. */
    static String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    /** A relative offset with its sign always shown: {@code +0x3}, {@code -0x2}. */
    static String signedHex(long v) {
        return v < 0 ? hex(v) : "+" + hex(v);
    }

    /** A relative offset in decimal with its sign always shown: {@code +3}, {@code -2}. */
    static String signedDec(long v) {
        return v < 0 ? Long.toString(v) : "+" + v;
    }
}
