package org.bpf4j.net.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** pcapng timestamp units into nanoseconds, against exact big-integer arithmetic. */
class TimestampsTest {
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static long exact(int tsresol, long units, long offsetSeconds) {
        BigInteger u = new BigInteger(Long.toUnsignedString(units));
        int n = tsresol & 0x7f;
        BigInteger perSecond = (tsresol & 0x80) != 0 ? BigInteger.TWO.pow(n) : BigInteger.TEN.pow(n);
        BigInteger nanos = u.multiply(NANOS).divide(perSecond);
        if (nanos.compareTo(MAX) > 0) {
            return Long.MIN_VALUE;
        }
        BigInteger offset = BigInteger.valueOf(offsetSeconds).multiply(NANOS);
        if (offset.bitLength() > 63) {
            return Long.MIN_VALUE; // an offset beyond the range of nanoseconds is out of range by itself
        }
        BigInteger total = nanos.add(offset);
        return total.bitLength() > 63 || total.longValue() == Long.MIN_VALUE ? Long.MIN_VALUE : total.longValue();
    }

    @Property(tries = 3000)
    void everyResolutionConvertsExactlyOrReportsOverflow(@ForAll @IntRange(min = 0, max = 255) int tsresol,
            @ForAll long units) {
        assertEquals(exact(tsresol, units, 0), new Timestamps(tsresol, 0).toNanos(units),
                () -> "tsresol " + tsresol + ", units " + Long.toUnsignedString(units));
    }

    @Property(tries = 1000)
    void offsetsAreAddedWithoutOverflow(@ForAll @IntRange(min = 0, max = 12) int exponent, @ForAll long units,
            @ForAll long offset) {
        assertEquals(exact(exponent, units, offset), new Timestamps(exponent, offset).toNanos(units));
    }

    @Test
    void commonResolutions() {
        assertEquals(1_500_000_000L, new Timestamps(6, 0).toNanos(1_500_000));
        assertEquals(1_500_000_000L, new Timestamps(9, 0).toNanos(1_500_000_000L));
        assertEquals(1_500_000_000L, new Timestamps(0x80 | 1, 0).toNanos(3));
        assertEquals(-500_000_000L, new Timestamps(3, -1).toNanos(500));
    }
}
