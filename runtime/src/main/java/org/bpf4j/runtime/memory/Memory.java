package org.bpf4j.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bpf4j.runtime.BpfFault;

/**
 * The address space one program execution sees: 64-bit virtual addresses whose high 32 bits name a
 * {@link Region} and whose low 32 bits are an offset in it. Every access is checked against its region, so no
 * program can touch memory outside what it was given.
 *
 * <p>Fixed regions: {@link #LOW_REGION} (id 0) holds data that must have a 32-bit address, such as packet data
 * whose address sits in a 32-bit context field; it starts at {@link #LOW_BASE} so that null and small integers
 * are never valid pointers. Ids 1 to {@link #MAX_FRAMES} are the stack frames, {@link #STACK_SIZE} bytes each.
 * Other regions are added with {@link #map}.
 *
 * <p>Not thread-safe: one {@code Memory} per executing thread. Regions mapped into several (maps, global data)
 * may be shared; their multi-byte accesses are plain, their atomics atomic.
 *
 * <pre>{@code
 * Memory mem = new Memory();
 * Region data = mem.map("data", Memory.allocate(64), true);
 * mem.store32(data.address(8), 42);
 * long v = mem.load32(data.address(8));   // 42
 * }</pre>
 */
public final class Memory {
    public static final int LOW_REGION = 0;
    public static final int MAX_FRAMES = 8;
    public static final int STACK_SIZE = 512;
    /** Region id of the first stack frame; frame {@code d} is region {@code FIRST_STACK_REGION + d}. */
    public static final int FIRST_STACK_REGION = 1;
    /** Region id of the program's context ({@code xdp_md}, {@code __sk_buff}), one per thread. */
    public static final int CONTEXT_REGION = 9;
    /** Region id whose addresses name instructions: {@code CODE_REGION << 32 | index * 8}. */
    public static final int CODE_REGION = 15;
    public static final int FIRST_FREE_REGION = 16;
    public static final long LOW_BASE = 0x1000;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ATOMIC32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle ATOMIC64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    // Parallel arrays rather than Region objects: one load less per access on the hot path.
    private Region[] regions = new Region[FIRST_FREE_REGION + 16];
    private MemorySegment[] segments = new MemorySegment[regions.length];
    private long[] bases = new long[regions.length];
    private long[] sizes = new long[regions.length];
    private boolean[] writable = new boolean[regions.length];
    private int nextFree = FIRST_FREE_REGION;

    public Memory() {
        for (int d = 0; d < MAX_FRAMES; d++) {
            mapAt(FIRST_STACK_REGION + d, "stack frame " + d, allocate(STACK_SIZE), 0, true);
        }
    }

    /** A zeroed segment of {@code size} bytes, 8-byte aligned so that atomics work anywhere in it. */
    public static MemorySegment allocate(long size) {
        if (size < 0 || size > Integer.MAX_VALUE * 8L) {
            throw new IllegalArgumentException("cannot allocate " + size + " bytes");
        }
        return MemorySegment.ofArray(new long[(int) ((size + 7) / 8)]).asSlice(0, size);
    }

    /** Maps a segment at a new region id, offset 0. */
    public Region map(String name, MemorySegment segment, boolean writable) {
        return mapAt(nextFree, name, segment, 0, writable);
    }

    /** Maps (or replaces) the low region, whose addresses fit in 32 bits. */
    public Region mapLow(String name, MemorySegment segment, boolean writable) {
        return mapAt(LOW_REGION, name, segment, LOW_BASE, writable);
    }

    /** Maps a segment at a chosen region id, replacing what was there. */
    public Region mapAt(int id, String name, MemorySegment segment, long base, boolean canWrite) {
        if (id < 0) {
            throw new IllegalArgumentException("negative region id " + id);
        }
        if (id >= regions.length) {
            int n = Math.max(id + 1, regions.length * 2);
            regions = Arrays.copyOf(regions, n);
            segments = Arrays.copyOf(segments, n);
            bases = Arrays.copyOf(bases, n);
            sizes = Arrays.copyOf(sizes, n);
            writable = Arrays.copyOf(writable, n);
        }
        Region r = new Region(id, name, segment, base, canWrite);
        regions[id] = r;
        segments[id] = segment;
        bases[id] = base;
        sizes[id] = segment.byteSize();
        writable[id] = canWrite;
        if (id >= nextFree) {
            nextFree = id + 1;
        }
        return r;
    }

    /** Removes a region; its addresses fault from now on. */
    public void unmap(int id) {
        if (id >= 0 && id < regions.length) {
            regions[id] = null;
            segments[id] = null;
            sizes[id] = 0;
            writable[id] = false;
        }
    }

    /** The region with this id, or null. */
    public Region region(int id) {
        return id >= 0 && id < regions.length ? regions[id] : null;
    }

    /** The region an address falls in, or null. */
    public Region regionOf(long address) {
        Region r = region((int) (address >>> 32));
        if (r == null) {
            return null;
        }
        long off = (address & 0xffff_ffffL) - r.base();
        return off >= 0 && off < r.segment().byteSize() ? r : null;
    }

    /** The frame pointer (r10) of stack frame {@code depth}: one past its last byte. */
    public static long stackTop(int depth) {
        return (long) (FIRST_STACK_REGION + depth) << 32 | STACK_SIZE;
    }

    /** Zeroes every stack frame, so one run cannot read what an earlier run left. */
    public void clearStacks() {
        for (int d = 0; d < MAX_FRAMES; d++) {
            segments[FIRST_STACK_REGION + d].fill((byte) 0);
        }
    }

    // Returns the offset of an access within its segment, or throws.
    private long check(long address, int size, boolean write) {
        int id = (int) (address >>> 32);
        if (id < 0 || id >= segments.length || segments[id] == null) {
            throw fault(address, size, write, "unmapped region");
        }
        long off = (address & 0xffff_ffffL) - bases[id];
        if (off < 0 || off > sizes[id] - size) {
            throw fault(address, size, write, null);
        }
        if (write && !writable[id]) {
            throw new BpfFault(BpfFault.Kind.READ_ONLY, "write of " + size + " bytes at 0x" + Long.toHexString(address)
                    + " into read-only region '" + regions[id].name() + "'", address);
        }
        return off;
    }

    private BpfFault fault(long address, int size, boolean write, String why) {
        String what = (write ? "write of " : "read of ") + size + " bytes at 0x" + Long.toHexString(address);
        if (address >= 0 && address < LOW_BASE) {
            return new BpfFault(BpfFault.Kind.OUT_OF_BOUNDS, what + " (a null pointer)", address);
        }
        Region r = region((int) (address >>> 32));
        if (why != null || r == null) {
            return new BpfFault(BpfFault.Kind.OUT_OF_BOUNDS, what + " outside any mapped region", address);
        }
        return new BpfFault(BpfFault.Kind.OUT_OF_BOUNDS, what + " out of bounds of region '" + r.name() + "' [0x"
                + Long.toHexString(r.start()) + ", 0x" + Long.toHexString(r.end()) + ")", address);
    }

    public long load8(long address) {
        long off = check(address, 1, false);
        return segments[(int) (address >>> 32)].get(ValueLayout.JAVA_BYTE, off) & 0xffL;
    }

    public long load16(long address) {
        long off = check(address, 2, false);
        return segments[(int) (address >>> 32)].get(U16, off) & 0xffffL;
    }

    public long load32(long address) {
        long off = check(address, 4, false);
        return segments[(int) (address >>> 32)].get(U32, off) & 0xffff_ffffL;
    }

    public long load64(long address) {
        long off = check(address, 8, false);
        return segments[(int) (address >>> 32)].get(U64, off);
    }

    /** Loads 1, 2, 4 or 8 bytes, zero-extended. */
    public long load(long address, int size) {
        return switch (size) {
            case 1 -> load8(address);
            case 2 -> load16(address);
            case 4 -> load32(address);
            default -> load64(address);
        };
    }

    public void store8(long address, long value) {
        long off = check(address, 1, true);
        segments[(int) (address >>> 32)].set(ValueLayout.JAVA_BYTE, off, (byte) value);
    }

    public void store16(long address, long value) {
        long off = check(address, 2, true);
        segments[(int) (address >>> 32)].set(U16, off, (short) value);
    }

    public void store32(long address, long value) {
        long off = check(address, 4, true);
        segments[(int) (address >>> 32)].set(U32, off, (int) value);
    }

    public void store64(long address, long value) {
        long off = check(address, 8, true);
        segments[(int) (address >>> 32)].set(U64, off, value);
    }

    /** Stores the low 1, 2, 4 or 8 bytes of a value. */
    public void store(long address, int size, long value) {
        switch (size) {
            case 1 -> store8(address, value);
            case 2 -> store16(address, value);
            case 4 -> store32(address, value);
            default -> store64(address, value);
        }
    }

    /** Copies bytes out of program memory, checked. */
    public void read(long address, byte[] into, int at, int length) {
        long off = check(address, length, false);
        MemorySegment.copy(segments[(int) (address >>> 32)], ValueLayout.JAVA_BYTE, off, into, at, length);
    }

    /** Copies bytes into program memory, checked. */
    public void write(long address, byte[] from, int at, int length) {
        long off = check(address, length, true);
        MemorySegment.copy(from, at, segments[(int) (address >>> 32)], ValueLayout.JAVA_BYTE, off, length);
    }

    /** The operations of {@link #atomic}; the values are RFC 9669's immediates without the fetch bit. */
    public static final int ATOMIC_ADD = 0x00, ATOMIC_OR = 0x40, ATOMIC_AND = 0x50, ATOMIC_XOR = 0xa0,
            ATOMIC_XCHG = 0xe0;

    /**
     * Atomic read-modify-write of 4 or 8 bytes; returns the old value (zero-extended for 4 bytes). The address
     * must be aligned to the size, as in the kernel.
     */
    public long atomic(long address, int size, int op, long value) {
        long off = checkAtomic(address, size);
        MemorySegment seg = segments[(int) (address >>> 32)];
        if (size == 4) {
            int v = (int) value;
            int old = switch (op) {
                case ATOMIC_ADD -> (int) ATOMIC32.getAndAdd(seg, off, v);
                case ATOMIC_OR -> (int) ATOMIC32.getAndBitwiseOr(seg, off, v);
                case ATOMIC_AND -> (int) ATOMIC32.getAndBitwiseAnd(seg, off, v);
                case ATOMIC_XOR -> (int) ATOMIC32.getAndBitwiseXor(seg, off, v);
                default -> (int) ATOMIC32.getAndSet(seg, off, v);
            };
            return old & 0xffff_ffffL;
        }
        return switch (op) {
            case ATOMIC_ADD -> (long) ATOMIC64.getAndAdd(seg, off, value);
            case ATOMIC_OR -> (long) ATOMIC64.getAndBitwiseOr(seg, off, value);
            case ATOMIC_AND -> (long) ATOMIC64.getAndBitwiseAnd(seg, off, value);
            case ATOMIC_XOR -> (long) ATOMIC64.getAndBitwiseXor(seg, off, value);
            default -> (long) ATOMIC64.getAndSet(seg, off, value);
        };
    }

    /** Atomic compare-and-exchange of 4 or 8 bytes; returns the old value (zero-extended for 4 bytes). */
    public long compareAndExchange(long address, int size, long expected, long value) {
        long off = checkAtomic(address, size);
        MemorySegment seg = segments[(int) (address >>> 32)];
        if (size == 4) {
            return (int) ATOMIC32.compareAndExchange(seg, off, (int) expected, (int) value) & 0xffff_ffffL;
        }
        return (long) ATOMIC64.compareAndExchange(seg, off, expected, value);
    }

    private long checkAtomic(long address, int size) {
        long off = check(address, size, true);
        // The kernel requires natural alignment; segments from allocate() are 8-byte aligned, so this suffices.
        if ((address & (size - 1)) != 0) {
            throw new BpfFault(BpfFault.Kind.MISALIGNED, "atomic access of " + size + " bytes at 0x"
                    + Long.toHexString(address) + " is not aligned", address);
        }
        return off;
    }
}
