package org.bpf4j.runtime.helpers;

/** Internet checksum arithmetic (RFC 1071, RFC 1624) as the checksum helpers need it. */
final class Checksum {
    private Checksum() {}

    /** Ones' complement add of two 32-bit partial sums, with end-around carry. */
    static int add(int a, int b) {
        long s = (a & 0xffff_ffffL) + (b & 0xffff_ffffL);
        return (int) (s + (s >>> 32));
    }

    /** Adds a 64-bit word to a 64-bit ones' complement accumulator, with end-around carry. */
    static long addCarry(long sum, long word) {
        long s = sum + word;
        return s + (Long.compareUnsigned(s, sum) < 0 ? 1 : 0);
    }

    /** Folds a 32-bit partial sum to 16 bits (not complemented). */
    static int fold(int sum) {
        int s = (sum & 0xffff) + (sum >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return s & 0xffff;
    }

    /**
     * The new checksum field after replacing {@code from} by {@code to} in the covered data: ~(~check + ~from + to),
     * RFC 1624 eqn. 3. Ones' complement sums commute with byte swapping, so the values may be in either byte
     * order, as long as all are in the same one (the helpers use memory's little-endian loads).
     */
    static int replace(int check, int fromSum, int toSum) {
        int s = add(add(~check & 0xffff, ~fromSum), toSum);
        return ~fold(s) & 0xffff;
    }

    /** The ones' complement sum of a 16- or 32-bit value, as a 32-bit partial sum. */
    static int sumOf(long value, int size) {
        return size == 2 ? (int) (value & 0xffff) : add((int) ((value >>> 16) & 0xffff), (int) (value & 0xffff));
    }
}
