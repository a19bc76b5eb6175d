package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.Instruction.Endian;
import org.bpf4j.core.isa.Size;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Byte swaps (on a little-endian host), sized loads with and without sign extension, sized stores. */
class ByteOrderAndLoadPropertiesTest {

    @Provide
    Arbitrary<Long> values() {
        return Values.longs();
    }

    @Provide
    Arbitrary<Integer> imms() {
        return Values.ints();
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.of(16, 32, 64);
    }

    private static long swap(Endian.Kind kind, int width, long a) {
        return interp(lddw(R3, a), endian(kind, width, R3), movr(R0, R3), exit()).run(0, 0);
    }

    @Property(tries = 1500)
    void byteSwapsMatchTheModel(@ForAll Endian.Kind kind, @ForAll("widths") int width, @ForAll("values") long a) {
        assertEquals(Model.endian(kind, width, a), swap(kind, width, a),
                () -> kind + " " + width + " 0x" + Long.toHexString(a));
    }

    @Property(tries = 500)
    @Label("swapping twice gives back the truncated value")
    void swappingTwiceTruncates(@ForAll("widths") int width, @ForAll("values") long a) {
        long once = swap(Endian.Kind.BSWAP, width, a);
        assertEquals(Model.truncate(a, width), swap(Endian.Kind.BSWAP, width, once));
        assertEquals(once, swap(Endian.Kind.TO_BE, width, a), "be is bswap on a little-endian host");
    }

    @Example
    void byteSwapExamples() {
        long v = 0x1122_3344_5566_7788L;
        assertEquals(0x7788L, swap(Endian.Kind.TO_LE, 16, v));
        assertEquals(0x5566_7788L, swap(Endian.Kind.TO_LE, 32, v));
        assertEquals(v, swap(Endian.Kind.TO_LE, 64, v));
        assertEquals(0x8877L, swap(Endian.Kind.TO_BE, 16, v));
        assertEquals(0x8877_6655L, swap(Endian.Kind.TO_BE, 32, v));
        assertEquals(0x8877_6655_4433_2211L, swap(Endian.Kind.TO_BE, 64, v));
        assertEquals(0x8877L, swap(Endian.Kind.BSWAP, 16, v));
        assertEquals(0x8877_6655L, swap(Endian.Kind.BSWAP, 32, v));
        assertEquals(0x8877_6655_4433_2211L, swap(Endian.Kind.BSWAP, 64, v));
    }

    /** The {@code size}-byte value at byte {@code at} of a little-endian 8-byte word. */
    private static long bytesOf(long word, int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (word >>> (8 * (at + i))) & 0xff;
        }
        return v;
    }

    @Property(tries = 1500)
    void loadsZeroOrSignExtend(@ForAll Size size, @ForAll boolean signed, @ForAll("values") long word,
            @ForAll @IntRange(min = 0, max = 7) int at) {
        int n = size.bytes();
        int offset = Math.min(at, 8 - n);
        if (signed && size == Size.DW) {
            signed = false;
        }
        var load = signed ? ldxs(size, R0, R10, -8 + offset) : ldx(size, R0, R10, -8 + offset);
        var in = interp(lddw(R1, word), stx(Size.DW, R10, -8, R1), load, exit());
        long raw = bytesOf(word, offset, n);
        long expected = signed ? Model.signExtend(raw, 8 * n) : raw;
        assertEquals(expected, in.run(0, 0), size + (signed ? " signed" : "") + " at " + offset);
    }

    @Example
    void signExtendingLoadExamples() {
        var in = interp(lddw(R1, 0x8000_0000_8000_8080L), stx(Size.DW, R10, -8, R1),
                ldxs(Size.B, R2, R10, -8), ldxs(Size.H, R3, R10, -8), ldxs(Size.W, R4, R10, -8),
                ldxs(Size.W, R5, R10, -4), ldx(Size.W, R6, R10, -4), exit());
        in.run(0, 0);
        assertEquals(-128, in.register(R2));
        assertEquals(0xffff_ffff_ffff_8080L, in.register(R3));
        assertEquals(0xffff_ffff_8000_8080L, in.register(R4));
        assertEquals(0xffff_ffff_8000_0000L, in.register(R5));
        assertEquals(0x8000_0000L, in.register(R6));
    }

    @Property(tries = 800)
    @Label("stores write the low bytes; a 64-bit immediate store sign-extends the immediate")
    void storesWriteTheLowBytes(@ForAll Size size, @ForAll boolean immediate, @ForAll("values") long value,
            @ForAll("imms") int k) {
        int n = size.bytes();
        long background = 0xa5a5_a5a5_a5a5_a5a5L;
        var store = immediate ? st(size, R10, -16, k) : stx(size, R10, -16, R2);
        var in = interp(lddw(R1, background), stx(Size.DW, R10, -16, R1), stx(Size.DW, R10, -8, R1),
                lddw(R2, value), store, ldx(Size.DW, R0, R10, -16), ldx(Size.DW, R3, R10, -8), exit());
        long written = immediate ? (long) k : value;
        long mask = n == 8 ? -1L : (1L << 8 * n) - 1;
        assertEquals((background & ~mask) | (written & mask), in.run(0, 0));
        assertEquals(background, in.register(R3), "nothing past the store");
    }
}
