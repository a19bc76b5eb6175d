package org.bpf4j.runtime.helpers;

import org.bpf4j.runtime.memory.Memory;

/**
 * Internet checksum arithmetic (RFC 1071, RFC 1624) as the kernel's helpers do it, operation for operation, so
 * that results agree with the kernel's bit for bit (including which of the two ones' complement zeros,
 * {@code 0x0000} or {@code 0xffff}, a checksum ends up as). Names follow {@code include/net/checksum.h} and
 * {@code include/asm-generic/checksum.h}; {@link #partial} follows {@code arch/x86/lib/csum-partial_64.c}.
 *
 * <p>Values are in memory order, as a little-endian machine loads them: a {@code __be16} checksum field read
 * with a 16-bit load, a {@code __be32} address with a 32-bit load. Partial sums ({@code __wsum}) are 32-bit
 * ints, 16-bit values ({@code __sum16}) ints in 0 to 0xffff.
 */
final class Checksum {
    private Checksum() {}

    /** csum_add: ones' complement add of two 32-bit partial sums, with end-around carry. */
    static int add(int a, int b) {
        long s = (a & 0xffff_ffffL) + (b & 0xffff_ffffL);
        return (int) (s + (s >>> 32));
    }

    /** csum_sub. */
    static int sub(int a, int b) {
        return add(a, ~b);
    }

    /** Folds a 32-bit partial sum to 16 bits, not complemented (csum_from32to16). */
    static int from32to16(int sum) {
        int s = (sum & 0xffff) + (sum >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return s & 0xffff;
    }

    /** csum_fold: folded and complemented, a checksum field's value. */
    static int fold(int sum) {
        return ~from32to16(sum) & 0xffff;
    }

    /** csum_unfold: a 16-bit checksum as a partial sum (zero-extended). */
    static int unfold(int sum16) {
        return sum16 & 0xffff;
    }

    /** csum16_add: 16-bit ones' complement add. */
    static int add16(int csum, int addend) {
        int res = (csum + addend) & 0xffff;
        return (res + (res < (addend & 0xffff) ? 1 : 0)) & 0xffff;
    }

    /** csum16_sub. */
    static int sub16(int csum, int addend) {
        return add16(csum, ~addend & 0xffff);
    }

    /** csum_replace2: the new checksum field after a 16-bit word changed, in 16-bit arithmetic. */
    static int replace2(int check, int from, int to) {
        return ~add16(sub16(~check & 0xffff, from & 0xffff), to & 0xffff) & 0xffff;
    }

    /** csum_replace4: the new checksum field after a 32-bit word changed. */
    static int replace4(int check, int from, int to) {
        int tmp = sub(~unfold(check), from);
        return fold(add(tmp, to));
    }

    /** csum_replace_by_diff: the new checksum field after adding a difference (a partial sum). */
    static int replaceByDiff(int check, int diff) {
        return fold(add(diff, ~unfold(check)));
    }

    /**
     * csum_partial of {@code len} bytes of program memory, on x86_64: 64-bit little-endian words added with
     * end-around carry (trailing bytes zero-padded to a word) onto the seed, folded to 32 bits the same way.
     * End-around carry addition gives 0 only when every addend is 0, so the order in which the kernel adds the
     * words (it interleaves two accumulators) does not change the result.
     */
    static int partial(Memory m, long address, long len, int seed) {
        long sum = seed & 0xffff_ffffL;
        long o = 0;
        for (; o + 8 <= len; o += 8) {
            sum = add64(sum, m.load64(address + o));
        }
        if (o < len) {
            long trail = 0;
            for (int i = 0; o + i < len; i++) {
                trail |= m.load8(address + o + i) << (8 * i);
            }
            sum = add64(sum, trail);
        }
        return add((int) (sum >>> 32), (int) sum);
    }

    private static long add64(long sum, long word) {
        long s = sum + word;
        return s + (Long.compareUnsigned(s, sum) < 0 ? 1 : 0);
    }
}
