package org.bpf4j.runtime.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** A seeded 32-bit hash of bytes read straight from a segment: 8 bytes at a time, then a 64-bit finaliser. */
final class Hashing {
    private Hashing() {}

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long K1 = 0x9E37_79B9_7F4A_7C15L;
    private static final long K2 = 0xC2B2_AE3D_27D4_EB4FL;

    static int hash(MemorySegment seg, long off, int length, long seed) {
        long h = seed ^ (length * K2);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ (seg.get(U64, off + i) * K1), 29) * K2;
        }
        if (i < length) {
            long tail = 0;
            for (int s = 0; i < length; i++, s += 8) {
                tail |= (seg.get(ValueLayout.JAVA_BYTE, off + i) & 0xffL) << s;
            }
            h = Long.rotateLeft(h ^ (tail * K1), 29) * K2;
        }
        return (int) mix(h);
    }

    /** Equal to {@link #hash(MemorySegment, long, int, long)} of the 4 little-endian bytes of {@code v}. */
    static int hashU32(int v, long seed) {
        long h = seed ^ (4 * K2);
        h = Long.rotateLeft(h ^ ((v & 0xffff_ffffL) * K1), 29) * K2;
        return (int) mix(h);
    }

    static int hash(byte[] bytes, long seed) {
        return hash(MemorySegment.ofArray(bytes), 0, bytes.length, seed);
    }

    /** A 64-bit avalanche: every input bit affects every output bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return h;
    }
}
