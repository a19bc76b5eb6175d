package org.bpf4j.runtime.jit;

import static org.bpf4j.runtime.jit.Insns.*;
import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Atomic read-modify-write, 32 and 64 bit, on both engines: memory after, fetched values, cmpxchg's comparison. */
class EngineAtomicTest {
    private static final long M32 = 0xffff_ffffL;

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

    private record Outcome(long memory, long r0, long r2) {}

    /** One atomic at [r1 + 8] between two guard words; r2 = src, r0 = r0. */
    private static Outcome run(Engine engine, Size size, AtomicOp op, boolean fetch, long initial, long src, long r0) {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(24), true);
        mem.store64(data.address(0), 0x0101_0101_0101_0101L);
        mem.store64(data.address(8), initial);
        mem.store64(data.address(16), 0x0202_0202_0202_0202L);
        var e = exec(engine, new HelperTable(), mem, lddw(R2, src), lddw(R0, r0), atomic(size, op, fetch, R1, 8, R2),
                exit());
        long result = e.run(data.address(0), 0);
        assertEquals(result, e.register(R0));
        assertEquals(0x0101_0101_0101_0101L, mem.load64(data.address(0)), "neighbours untouched");
        assertEquals(0x0202_0202_0202_0202L, mem.load64(data.address(16)), "neighbours untouched");
        return new Outcome(mem.load64(data.address(8)), e.register(R0), e.register(R2));
    }

    @Provide
    Arbitrary<Long> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0xffff_ffffL,
                        0x1_0000_0000L, 0x7fff_ffffL, 0xffff_ffff_0000_0000L)),
                Tuple.of(3, Arbitraries.longs()));
    }

    @Provide
    Arbitrary<AtomicOp> arithmetic() {
        return Arbitraries.of(AtomicOp.ADD, AtomicOp.OR, AtomicOp.AND, AtomicOp.XOR);
    }

    @Property(tries = 300)
    void atomic64(@ForAll Engine engine, @ForAll("arithmetic") AtomicOp op, @ForAll boolean fetch,
            @ForAll("values") long initial, @ForAll("values") long src) {
        var o = run(engine, Size.DW, op, fetch, initial, src, 0x5555);
        assertEquals(apply(op, initial, src), o.memory);
        assertEquals(fetch ? initial : src, o.r2);
        assertEquals(0x5555, o.r0);
    }

    @Property(tries = 300)
    void atomic32(@ForAll Engine engine, @ForAll("arithmetic") AtomicOp op, @ForAll boolean fetch,
            @ForAll("values") long initial, @ForAll("values") long src) {
        var o = run(engine, Size.W, op, fetch, initial, src, 0x5555);
        assertEquals((initial & ~M32) | (apply(op, initial & M32, src & M32) & M32), o.memory);
        assertEquals(fetch ? initial & M32 : src, o.r2, "fetch zero-extends the old 32-bit value");
    }

    @Property(tries = 200)
    void xchg(@ForAll Engine engine, @ForAll boolean wide, @ForAll("values") long initial, @ForAll("values") long src) {
        var o = run(engine, wide ? Size.DW : Size.W, AtomicOp.XCHG, true, initial, src, 7);
        assertEquals(wide ? src : (initial & ~M32) | (src & M32), o.memory);
        assertEquals(wide ? initial : initial & M32, o.r2);
        assertEquals(7, o.r0);
    }

    @Property(tries = 300)
    void cmpxchg(@ForAll Engine engine, @ForAll boolean wide, @ForAll boolean match, @ForAll("values") long initial,
            @ForAll("values") long src, @ForAll("values") long other) {
        long r0 = match ? initial : other;
        var o = run(engine, wide ? Size.DW : Size.W, AtomicOp.CMPXCHG, true, initial, src, r0);
        if (wide) {
            assertEquals(r0 == initial ? src : initial, o.memory);
            assertEquals(initial, o.r0);
        } else {
            boolean equal = (r0 & M32) == (initial & M32);
            assertEquals(equal ? (initial & ~M32) | (src & M32) : initial, o.memory);
            assertEquals(initial & M32, o.r0);
        }
        assertEquals(src, o.r2, "src is not written");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void cmpxchg32ComparesAndZeroExtendsOnlyTheLowHalf(Engine engine) {
        var o = run(engine, Size.W, AtomicOp.CMPXCHG, true, 0x1234_5678_0000_0005L, 9, 0xdead_beef_0000_0005L);
        assertEquals(0x1234_5678_0000_0009L, o.memory);
        assertEquals(5, o.r0);
        o = run(engine, Size.W, AtomicOp.CMPXCHG, true, 0xffff_ffff_ffff_fff0L, 9, -1);
        assertEquals(0xffff_ffff_ffff_fff0L, o.memory);
        assertEquals(0xffff_fff0L, o.r0);
        o = run(engine, Size.DW, AtomicOp.CMPXCHG, true, 5, 9, 0x1_0000_0005L);
        assertEquals(5, o.memory);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void atomicsOnTheStackAndInTheLowRegion(Engine engine) {
        var e = exec(engine, st(Size.DW, R10, -8, 40), mov(R1, 2), atomic(Size.DW, AtomicOp.ADD, true, R10, -8, R1),
                atomic(Size.W, AtomicOp.OR, false, R10, -4, R1), ldx(Size.DW, R0, R10, -8), exit());
        assertEquals(40L << 32 | 42, e.run(0, 0));
        assertEquals(40, e.register(R1));
        var mem = new Memory();
        Region low = mem.mapLow("packet", Memory.allocate(16), true);
        var l = exec(engine, new HelperTable(), mem, mov(R2, 3), atomic(Size.W, AtomicOp.XCHG, true, R1, 12, R2),
                ldx(Size.W, R0, R1, 12), exit());
        assertEquals(3, l.run(low.address(0), 16));
        assertEquals(0, l.register(R2));
    }
}
