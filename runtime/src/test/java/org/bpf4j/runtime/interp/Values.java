package org.bpf4j.runtime.interp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Random operands with the edge values of 8, 16, 32 and 64-bit arithmetic mixed in. */
final class Values {
    private Values() {}

    static final long[] EDGES64 = {
        0, 1, -1, 2, -2, 3, 7, 8, 31, 32, 33, 63, 64, 65,
        0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x1_0000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 0x8000_0000L, 0x8000_0001L, 0xffff_ffffL,
        0xffff_fffeL, 0x1_0000_0000L, 0x1_0000_0001L, 0xffff_ffff_0000_0000L, 0xffff_ffff_7fff_ffffL,
        0x7fff_ffff_ffff_ffffL, Long.MIN_VALUE, Long.MIN_VALUE + 1, 0x8000_0000_8000_0000L, 0x1234_5678_9abc_def0L,
        0x0000_0001_8000_0000L, 0x7fff_ffff_8000_0000L, 0xffff_ffff_ffff_ff80L, 0xffff_ffff_ffff_8000L
    };

    static final int[] EDGES32 = {
        0, 1, -1, 2, -2, 3, 7, 8, 31, 32, 33, 63, 64, 65,
        0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x1_0000, -0x80, -0x8000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 0x8000_0001, 0xffff_fffe, 0x1234_5678
    };

    private static Arbitrary<Long> edges64() {
        return Arbitraries.of(java.util.Arrays.stream(EDGES64).boxed().toList());
    }

    private static Arbitrary<Integer> edges32() {
        return Arbitraries.of(java.util.Arrays.stream(EDGES32).boxed().toList());
    }

    /** 64-bit operands: a third edge values, some small, the rest anything. */
    static Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, edges64()),
                Tuple.of(1, Arbitraries.longs().between(-300, 300)),
                Tuple.of(1, Arbitraries.integers().map(i -> (long) i)),
                Tuple.of(1, Arbitraries.integers().map(i -> i & Model.M32)),
                Tuple.of(3, Arbitraries.longs()));
    }

    /** 32-bit immediates. */
    static Arbitrary<Integer> ints() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, edges32()),
                Tuple.of(1, Arbitraries.integers().between(-300, 300)),
                Tuple.of(3, Arbitraries.integers()));
    }

    /**
     * Pairs for comparisons: independent values, or the second derived from the first (equal, one off, the same low
     * half with another high half, the same high half with another low half).
     */
    static Arbitrary<long[]> pairs() {
        Arbitrary<long[]> independent = Combinators.combine(longs(), longs()).as((a, b) -> new long[] {a, b});
        Arbitrary<long[]> related = longs().flatMap(a -> Arbitraries.of(
                new long[] {a, a},
                new long[] {a, a + 1},
                new long[] {a, a - 1},
                new long[] {a, a ^ 0xffff_ffff_0000_0000L},
                new long[] {a, a ^ 0x8000_0000_0000_0000L},
                new long[] {a, (a & ~Model.M32) | ((a + 1) & Model.M32)},
                new long[] {a, (a & ~Model.M32) | ((a - 1) & Model.M32)},
                new long[] {a, a ^ 0x8000_0000L}));
        return Arbitraries.frequencyOf(Tuple.of(1, independent), Tuple.of(1, related));
    }
}
