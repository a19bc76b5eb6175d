package org.bpf4j.runtime.interp;

import java.math.BigInteger;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Instruction.Endian;
import org.bpf4j.core.isa.JumpOp;

/**
 * The RFC 9669 semantics written out a second time, independently of the interpreter, for the property tests:
 * 64-bit arithmetic through {@link BigInteger} (unsigned values made explicit), 32-bit arithmetic on zero-extended
 * {@code long}s, sign extension and byte swaps by masks and loops.
 */
final class Model {
    private Model() {}

    static final long M32 = 0xffff_ffffL;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** The value as an unsigned 64-bit number. */
    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(TWO_64) : b;
    }

    /** The low {@code bits} bits of {@code v}, sign-extended to 64 (bits below 64). */
    static long signExtend(long v, int bits) {
        long low = v & ((1L << bits) - 1);
        long sign = 1L << (bits - 1);
        return (low & sign) != 0 ? low - (1L << bits) : low;
    }

    /** The low {@code bits} bits (8 to 64), zero-extended. */
    static long truncate(long v, int bits) {
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    /** {@code dst op src} on 64 bits; {@code src} is the 64-bit operand (an immediate already sign-extended). */
    static long alu64(AluOp op, long dst, long src) {
        BigInteger d = BigInteger.valueOf(dst), s = BigInteger.valueOf(src);
        int shift = (int) (src & 0x3f);
        return switch (op) {
            case ADD -> d.add(s).longValue(); // longValue keeps the low 64 bits: wrapping arithmetic
            case SUB -> d.subtract(s).longValue();
            case MUL -> d.multiply(s).longValue();
            case DIV -> src == 0 ? 0 : unsigned(dst).divide(unsigned(src)).longValue();
            case SDIV -> src == 0 ? 0 : d.divide(s).longValue(); // LONG_MIN / -1 = 2^63, which wraps to LONG_MIN
            case MOD -> src == 0 ? dst : unsigned(dst).mod(unsigned(src)).longValue();
            case SMOD -> src == 0 ? dst : d.remainder(s).longValue(); // truncated: the sign of the dividend
            case OR -> d.or(s).longValue();
            case AND -> d.and(s).longValue();
            case XOR -> d.xor(s).longValue();
            case LSH -> d.shiftLeft(shift).longValue();
            case RSH -> unsigned(dst).shiftRight(shift).longValue();
            case ARSH -> d.shiftRight(shift).longValue();
            case NEG -> d.negate().longValue();
            case MOV -> src;
            case MOVSX8 -> signExtend(src, 8);
            case MOVSX16 -> signExtend(src, 16);
            case MOVSX32 -> signExtend(src, 32);
        };
    }

    /** {@code dst op src} on the low 32 bits of each, the result zero-extended. */
    static long alu32(AluOp op, long dst, long src) {
        long d = dst & M32, s = src & M32; // unsigned 32-bit values
        long sd = signExtend(d, 32), ss = signExtend(s, 32);
        int shift = (int) (s & 0x1f);
        long r = switch (op) {
            case ADD -> d + s;
            case SUB -> d - s;
            case MUL -> d * s;
            case DIV -> s == 0 ? 0 : d / s;
            case SDIV -> s == 0 ? 0 : sd / ss; // INT_MIN / -1 = 2^31 here, whose low 32 bits are INT_MIN
            case MOD -> s == 0 ? d : d % s;
            case SMOD -> s == 0 ? d : sd % ss;
            case OR -> d | s;
            case AND -> d & s;
            case XOR -> d ^ s;
            case LSH -> d << shift;
            case RSH -> d >>> shift;
            case ARSH -> sd >> shift;
            case NEG -> -d;
            case MOV -> s;
            case MOVSX8 -> signExtend(s, 8);
            case MOVSX16 -> signExtend(s, 16);
            case MOVSX32 -> throw new IllegalArgumentException("no 32-bit movsx32");
        };
        return r & M32;
    }

    /** The low {@code width / 8} bytes of {@code v} in reverse order. */
    static long reverseBytes(long v, int width) {
        long r = 0;
        for (int i = 0; i < width / 8; i++) {
            r = r << 8 | (v >>> (8 * i)) & 0xff;
        }
        return r;
    }

    /** A byte-order conversion on a little-endian machine. */
    static long endian(Endian.Kind kind, int width, long v) {
        return switch (kind) {
            case TO_LE -> truncate(v, width);
            case TO_BE, BSWAP -> reverseBytes(v, width);
        };
    }

    /** Whether a conditional jump is taken; {@code src} is the 64-bit operand (an immediate already sign-extended). */
    static boolean taken(boolean jmp32, JumpOp op, long dst, long src) {
        int unsignedCmp, signedCmp;
        long and;
        if (jmp32) {
            long d = dst & M32, s = src & M32;
            unsignedCmp = Long.compare(d, s); // both non-negative: plain comparison is the unsigned one
            signedCmp = Long.compare(signExtend(d, 32), signExtend(s, 32));
            and = d & s;
        } else {
            unsignedCmp = unsigned(dst).compareTo(unsigned(src));
            signedCmp = BigInteger.valueOf(dst).compareTo(BigInteger.valueOf(src));
            and = dst & src;
        }
        return switch (op) {
            case JEQ -> unsignedCmp == 0;
            case JNE -> unsignedCmp != 0;
            case JGT -> unsignedCmp > 0;
            case JGE -> unsignedCmp >= 0;
            case JLT -> unsignedCmp < 0;
            case JLE -> unsignedCmp <= 0;
            case JSGT -> signedCmp > 0;
            case JSGE -> signedCmp >= 0;
            case JSLT -> signedCmp < 0;
            case JSLE -> signedCmp <= 0;
            case JSET -> and != 0;
        };
    }
}
