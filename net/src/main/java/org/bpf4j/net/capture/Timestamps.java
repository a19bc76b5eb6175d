package org.bpf4j.net.capture;

/**
 * Converts pcapng timestamps, unsigned 64-bit counts of units of 10^-n or 2^-n seconds plus an offset in
 * seconds, into nanoseconds since the epoch, exactly (sub-nanosecond parts are truncated), or reports that
 * the result does not fit in a signed 64-bit count of nanoseconds (years after 2262).
 */
final class Timestamps {
    private static final long NANOS = 1_000_000_000L;

    private final boolean binary;
    private final int exponent;
    private final long multiplier; // decimal, exponent <= 9: units * multiplier
    private final long divisor; // decimal, 9 < exponent <= 28: units / divisor (unsigned), 0 beyond
    private final long offsetNanos;
    private final boolean offsetOverflows;

    Timestamps(int tsresol, long offsetSeconds) {
        binary = (tsresol & 0x80) != 0;
        exponent = tsresol & 0x7f;
        long m = 1;
        long d = 1;
        if (!binary) {
            if (exponent <= 9) {
                for (int i = exponent; i < 9; i++) {
                    m *= 10;
                }
            } else if (exponent - 9 <= 19) {
                for (int i = 9; i < exponent; i++) {
                    d *= 10; // 10^19 still fits in an unsigned long
                }
            } else {
                d = 0; // more than 10^19: every 64-bit count is below one nanosecond
            }
        }
        multiplier = m;
        divisor = d;
        long off;
        boolean overflows = false;
        try {
            off = Math.multiplyExact(offsetSeconds, NANOS);
        } catch (ArithmeticException e) {
            off = 0;
            overflows = true;
        }
        offsetNanos = off;
        offsetOverflows = overflows;
    }

    /** The timestamp in nanoseconds, or {@link Long#MIN_VALUE} when it is out of range. */
    long toNanos(long units) {
        long nanos = binary ? binaryNanos(units) : decimalNanos(units);
        if (nanos == Long.MIN_VALUE || offsetOverflows) {
            return Long.MIN_VALUE;
        }
        long r = nanos + offsetNanos;
        if (((nanos ^ r) & (offsetNanos ^ r)) < 0 || r == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return r;
    }

    private long decimalNanos(long units) {
        if (exponent <= 9) {
            if (units < 0) {
                return Long.MIN_VALUE;
            }
            long hi = Math.multiplyHigh(units, multiplier);
            long lo = units * multiplier;
            return hi != 0 || lo < 0 ? Long.MIN_VALUE : lo;
        }
        return divisor == 0 ? 0 : Long.divideUnsigned(units, divisor);
    }

    private long binaryNanos(long units) {
        int n = exponent;
        long seconds = n >= 64 ? 0 : units >>> n;
        long fraction = n >= 64 ? units : n == 0 ? 0 : units & ((1L << n) - 1);
        if (seconds < 0 || seconds > Long.MAX_VALUE / NANOS) {
            return Long.MIN_VALUE;
        }
        long fractionNanos;
        if (fraction == 0) {
            fractionNanos = 0;
        } else {
            long hi = Math.unsignedMultiplyHigh(fraction, NANOS);
            long lo = fraction * NANOS;
            fractionNanos = n < 64 ? (hi << (64 - n)) | (lo >>> n) : hi >>> (n - 64);
        }
        long r = seconds * NANOS + fractionNanos;
        return r < 0 ? Long.MIN_VALUE : r;
    }
}
