package org.bpf4j.runtime.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * Checked access to the bytes behind a program address, straight on the region's segment so that keys can be
 * hashed and compared without copying (and without allocating). Faults like {@link Memory}'s own checks.
 */
final class ProgramMemory {
    private ProgramMemory() {}

    static final long MASK32 = 0xffff_ffffL;

    /** The segment holding {@code [address, address + length)}; faults when the range is not all mapped. */
    static MemorySegment segment(Memory mem, long address, long length, boolean write) {
        Region r = mem.region((int) (address >>> 32));
        if (r == null) {
            throw fault(address, length, write, " outside any mapped region");
        }
        long off = (address & MASK32) - r.base();
        if (off < 0 || length < 0 || off > r.segment().byteSize() - length) {
            throw fault(address, length, write, " out of bounds of region '" + r.name() + "'");
        }
        if (write && !r.writable()) {
            throw new BpfFault(BpfFault.Kind.READ_ONLY, "write of " + length + " bytes at 0x" + Long.toHexString(address)
                    + " into read-only region '" + r.name() + "'", address);
        }
        return r.segment();
    }

    /** The offset of an address in the segment {@link #segment} returned for it. */
    static long offset(Memory mem, long address) {
        return (address & MASK32) - mem.region((int) (address >>> 32)).base();
    }

    /** Copies {@code length} bytes from program memory into a segment of ours. */
    static void copyIn(Memory mem, long address, MemorySegment to, long toOffset, long length) {
        MemorySegment from = segment(mem, address, length, false);
        MemorySegment.copy(from, offset(mem, address), to, toOffset, length);
    }

    /** Copies {@code length} bytes of a segment of ours into program memory. */
    static void copyOut(MemorySegment from, long fromOffset, Memory mem, long address, long length) {
        MemorySegment to = segment(mem, address, length, true);
        MemorySegment.copy(from, fromOffset, to, offset(mem, address), length);
    }

    /** The u32 a program passes as the key of an array-like map. */
    static long loadU32(Memory mem, long address) {
        MemorySegment s = segment(mem, address, 4, false);
        return s.get(LE32, offset(mem, address)) & MASK32;
    }

    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private static BpfFault fault(long address, long length, boolean write, String where) {
        String what = (write ? "write of " : "read of ") + length + " bytes at 0x" + Long.toHexString(address);
        if (address >= 0 && address < Memory.LOW_BASE) {
            return new BpfFault(BpfFault.Kind.OUT_OF_BOUNDS, what + " (a null pointer)", address);
        }
        return new BpfFault(BpfFault.Kind.OUT_OF_BOUNDS, what + where, address);
    }

    static int roundUp8(int n) {
        return (n + 7) & ~7;
    }

    static long roundUp8(long n) {
        return (n + 7) & ~7L;
    }
}
