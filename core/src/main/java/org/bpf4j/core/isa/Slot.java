package org.bpf4j.core.isa;

/**
 * One raw 8-byte instruction slot, packed in a {@code long} as it lies in memory, little endian:
 * opcode, registers (dst in the low nibble), 16-bit offset, 32-bit immediate.
 */
public final class Slot {
    private Slot() {}

    public static int opcode(long slot) {
        return (int) (slot & 0xff);
    }

    public static int dst(long slot) {
        return (int) ((slot >>> 8) & 0xf);
    }

    public static int src(long slot) {
        return (int) ((slot >>> 12) & 0xf);
    }

    public static short offset(long slot) {
        return (short) (slot >>> 16);
    }

    public static int imm(long slot) {
        return (int) (slot >>> 32);
    }

    public static long of(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xffL) | (dst & 0xfL) << 8 | (src & 0xfL) << 12 | (offset & 0xffffL) << 16 | (long) imm << 32;
    }

    /** Reads little-endian slots; the length must be a multiple of 8. */
    public static long[] fromBytes(byte[] code) {
        if (code.length % 8 != 0) {
            throw new InvalidInstructionException(code.length / 8,
                    "program is " + code.length + " bytes, not a whole number of 8-byte instructions");
        }
        long[] slots = new long[code.length / 8];
        for (int i = 0; i < slots.length; i++) {
            long v = 0;
            for (int b = 7; b >= 0; b--) {
                v = v << 8 | (code[i * 8 + b] & 0xffL);
            }
            slots[i] = v;
        }
        return slots;
    }

    public static byte[] toBytes(long[] slots) {
        byte[] out = new byte[slots.length * 8];
        for (int i = 0; i < slots.length; i++) {
            for (int b = 0; b < 8; b++) {
                out[i * 8 + b] = (byte) (slots[i] >>> (8 * b));
            }
        }
        return out;
    }

    /** The slot's bytes as llvm-objdump prints them: {@code b7 00 00 00 01 00 00 00}. */
    public static String hex(long slot) {
        StringBuilder sb = new StringBuilder(23);
        for (int b = 0; b < 8; b++) {
            if (b > 0) {
                sb.append(' ');
            }
            int v = (int) (slot >>> (8 * b)) & 0xff;
            sb.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
        }
        return sb.toString();
    }
}
