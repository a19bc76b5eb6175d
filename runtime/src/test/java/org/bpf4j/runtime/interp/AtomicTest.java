package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Atomic read-modify-write, 32 and 64 bit: the memory after, the fetched old value (zero-extended for 32 bits), and
 * cmpxchg's comparison with r0 (the low 32 bits of it for 32 bits).
 */
class AtomicTest {
    private static final long M32 = 0xffff_ffffL;

    /** The value memory holds after the operation, computed per byte-width independently of the interpreter. */
    private static long apply(AtomicOp op, long old, long operand) {
        return switch (op) {
            case ADD -> old + operand;
            case OR -> old | operand;
            case AND -> old & operand;
            case XOR -> old ^ operand;
            case XCHG -> operand;
            case CMPXCHG -> throw new AssertionError();
        };
    }

    private record Outcome(long memory, long r0, long r1, long r2) {}

    /**
     * Runs one atomic at [r1 + 8] over 16 bytes of memory filled with {@code word}s, r2 = src, r0 = r0; returns the
     * 8 bytes at offset 8 and the registers.
     */
    private static Outcome run(Size size, AtomicOp op, boolean fetch, long initial, long src, long r0) {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(24), true);
        mem.store64(data.address(0), 0x0101_0101_0101_0101L);
        mem.store64(data.address(8), initial);
        mem.store64(data.address(16), 0x0202_0202_0202_0202L);
        var in = interp(new HelperTable(), mem,
                lddw(R2, src),
                lddw(R0, r0),
                atomic(size, op, fetch, R1, 8, R2),
                exit());
        long result = in.run(data.address(0), 0);
        assertEquals(result, in.register(R0));
        assertEquals(0x0101_0101_0101_0101L, mem.load64(data.address(0)), "neighbours untouched");
        assertEquals(0x0202_0202_0202_0202L, mem.load64(data.address(16)), "neighbours untouched");
        return new Outcome(mem.load64(data.address(8)), in.register(R0), in.register(R1), in.register(R2));
    }

    @Provide
    Arbitrary<Long> values() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L,
                        0xffff_ffffL, 0x1_0000_0000L, 0x7fff_ffffL, 0xffff_ffff_0000_0000L)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs()));
    }

    @Provide
    Arbitrary<AtomicOp> arithmetic() {
        return Arbitraries.of(AtomicOp.ADD, AtomicOp.OR, AtomicOp.AND, AtomicOp.XOR);
    }

    @Property(tries = 400)
    void atomic64ActsOnAllEightBytes(@ForAll("arithmetic") AtomicOp op, @ForAll boolean fetch,
            @ForAll("values") long initial, @ForAll("values") long src) {
        var o = run(Size.DW, op, fetch, initial, src, 0x5555);
        assertEquals(apply(op, initial, src), o.memory);
        assertEquals(fetch ? initial : src, o.r2, "fetch puts the old value in src");
        assertEquals(0x5555, o.r0, "r0 is untouched");
    }

    @Property(tries = 400)
    void atomic32ActsOnTheLowFourBytesOnly(@ForAll("arithmetic") AtomicOp op, @ForAll boolean fetch,
            @ForAll("values") long initial, @ForAll("values") long src) {
        var o = run(Size.W, op, fetch, initial, src, 0x5555);
        long low = apply(op, initial & M32, src & M32) & M32;
        assertEquals((initial & ~M32) | low, o.memory, "the high half of the word beside it is untouched");
        assertEquals(fetch ? initial & M32 : src, o.r2, "fetch zero-extends the old 32-bit value");
    }

    @Property(tries = 200)
    void xchgSwapsMemoryAndSrc(@ForAll boolean wide, @ForAll("values") long initial, @ForAll("values") long src) {
        var o = run(wide ? Size.DW : Size.W, AtomicOp.XCHG, true, initial, src, 7);
        if (wide) {
            assertEquals(src, o.memory);
            assertEquals(initial, o.r2);
        } else {
            assertEquals((initial & ~M32) | (src & M32), o.memory);
            assertEquals(initial & M32, o.r2);
        }
        assertEquals(7, o.r0);
    }

    @Property(tries = 300)
    void cmpxchgStoresOnlyWhenR0Matches(@ForAll boolean wide, @ForAll boolean match, @ForAll("values") long initial,
            @ForAll("values") long src, @ForAll("values") long other) {
        long r0 = match ? initial : other;
        var o = run(wide ? Size.DW : Size.W, AtomicOp.CMPXCHG, true, initial, src, r0);
        if (wide) {
            boolean equal = r0 == initial;
            assertEquals(equal ? src : initial, o.memory);
            assertEquals(initial, o.r0, "r0 gets the old value");
        } else {
            boolean equal = (r0 & M32) == (initial & M32);
            assertEquals(equal ? (initial & ~M32) | (src & M32) : initial, o.memory);
            assertEquals(initial & M32, o.r0, "r0 gets the old value, zero-extended");
        }
        assertEquals(src, o.r2, "src is not written");
    }

    @Test
    void cmpxchg32ComparesOnlyTheLowHalfOfR0() {
        var o = run(Size.W, AtomicOp.CMPXCHG, true, 0x1234_5678_0000_0005L, 9, 0xdead_beef_0000_0005L);
        assertEquals(0x1234_5678_0000_0009L, o.memory);
        assertEquals(5, o.r0);
    }

    @Test
    void cmpxchg32FailureStillZeroExtendsR0() {
        var o = run(Size.W, AtomicOp.CMPXCHG, true, 0xffff_ffff_ffff_fff0L, 9, -1);
        assertEquals(0xffff_ffff_ffff_fff0L, o.memory);
        assertEquals(0xffff_fff0L, o.r0);
    }

    @Test
    void cmpxchg64NeedsAllBitsOfR0() {
        var o = run(Size.DW, AtomicOp.CMPXCHG, true, 5, 9, 0x1_0000_0005L);
        assertEquals(5, o.memory);
        assertEquals(5, o.r0);
    }

    @Test
    void fetchAdd32OfNegativeOldValueIsZeroExtended() {
        var o = run(Size.W, AtomicOp.ADD, true, 0xffff_ffffL, 1, 0);
        assertEquals(0, o.memory);
        assertEquals(0xffff_ffffL, o.r2);
    }

    @Test
    void atomicsWorkOnTheStack() {
        var in = interp(
                st(Size.DW, R10, -8, 40),
                mov(R1, 2),
                atomic(Size.DW, AtomicOp.ADD, true, R10, -8, R1),   // r1 = 40, [r10-8] = 42
                atomic(Size.W, AtomicOp.OR, false, R10, -4, R1),    // high half |= 40
                ldx(Size.DW, R0, R10, -8),
                exit());
        assertEquals(40L << 32 | 42, in.run(0, 0));
        assertEquals(40, in.register(R1));
    }

    @Test
    void atomicsWorkInTheLowRegion() {
        var mem = new Memory();
        Region low = mem.mapLow("packet", Memory.allocate(16), true);
        var in = interp(new HelperTable(), mem, mov(R2, 3), atomic(Size.W, AtomicOp.XCHG, true, R1, 12, R2),
                ldx(Size.W, R0, R1, 12), exit());
        assertEquals(3, in.run(low.address(0), 16));
        assertEquals(0, in.register(R2));
    }
}
