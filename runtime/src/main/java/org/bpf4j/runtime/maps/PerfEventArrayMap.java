package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;

import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.runtime.memory.Memory;

/**
 * {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}: one event buffer per index (per CPU, as user space usually opens
 * them), which programs fill with {@code bpf_perf_event_output} and the control plane drains.
 *
 * <p>Every index starts with an open buffer of {@link #DEFAULT_PAGES} pages; {@link #open} resizes one,
 * {@link #close} removes it (output to it is then {@code ENOENT}, as to an index with no perf event in the
 * kernel). A record costs {@code 8 + round_up(4 + size, 8)} bytes of its buffer (a perf sample with raw data);
 * when it does not fit, it is lost: counted in {@link #lost} and {@code -ENOSPC} returned.
 *
 * <p>Flags: the low 32 bits are the index, {@link #CURRENT_CPU} meaning the calling CPU's; an index at or
 * beyond max_entries is {@code E2BIG}; bits 32 to 51 ({@code BPF_F_CTXLEN_MASK}, packet bytes to append) are
 * accepted and ignored (there is no context here); other bits {@code EINVAL}. A sample's raw data is at most
 * 65535 bytes ({@code E2BIG} beyond; the kernel's sample size field is 16 bits). The kernel also refuses output
 * to another CPU's event ({@code EOPNOTSUPP}); this backend does not check.
 */
public final class PerfEventArrayMap extends BpfMap {
    /** {@code BPF_F_CURRENT_CPU}. */
    public static final long CURRENT_CPU = 0xffff_ffffL;
    /** {@code BPF_F_INDEX_MASK}. */
    public static final long INDEX_MASK = 0xffff_ffffL;
    /** {@code BPF_F_CTXLEN_MASK}. */
    public static final long CTXLEN_MASK = 0xfffffL << 32;
    public static final int DEFAULT_PAGES = 64;
    private static final int PAGE = 4096;

    private static final class Buffer {
        final ArrayDeque<byte[]> records = new ArrayDeque<>();
        final long capacity;
        long used;
        long lost;

        Buffer(long capacity) {
            this.capacity = capacity;
        }
    }

    private final Buffer[] buffers;
    private final long[] lostClosed;

    PerfEventArrayMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        if (spec.keySize() != 4 || spec.valueSize() != 4 || spec.maxEntries() <= 0) {
            throw invalid("perf_event_array maps need key_size 4, value_size 4 and max_entries > 0");
        }
        buffers = new Buffer[spec.maxEntries()];
        lostClosed = new long[spec.maxEntries()];
        // slots start without an event, as in the kernel (output to them is -ENOENT): open() one to receive
    }

    @Override
    public java.util.Optional<byte[]> lookup(byte[] key) {
        throw MapException.of("lookup", Errno.ENOTSUPP); // no map_fd_sys_lookup_elem, as in the kernel
    }

    private static long cost(long size) {
        return 8 + ProgramMemory.roundUp8(4 + size);
    }

    /**
     * {@code bpf_perf_event_output(ctx, map, flags, data, size)} from CPU {@code cpu}: 0, or -EINVAL, -E2BIG,
     * -ENOENT, -ENOSPC.
     */
    public long output(Memory mem, long flags, long dataAddress, long size, int cpu) {
        if ((flags & ~(INDEX_MASK | CTXLEN_MASK)) != 0) {
            return -Errno.EINVAL;
        }
        long index = flags & INDEX_MASK;
        if (index == CURRENT_CPU) {
            index = cpu;
        }
        if (index < 0 || index >= spec.maxEntries() || size > 0xffff) {
            return -Errno.E2BIG;
        }
        MemorySegment src = ProgramMemory.segment(mem, dataAddress, size, false);
        long from = ProgramMemory.offset(mem, dataAddress);
        Buffer b;
        synchronized (this) {
            b = buffers[(int) index];
            if (b == null) {
                return -Errno.ENOENT;
            }
        }
        synchronized (b) {
            if (b.used + cost(size) > b.capacity) {
                b.lost++;
                return -Errno.ENOSPC;
            }
            byte[] copy = new byte[(int) size];
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, from, copy, 0, (int) size);
            b.records.add(copy);
            b.used += cost(size);
            return 0;
        }
    }

    /** Opens (or re-opens, emptied) the buffer of an index with room for {@code pages} pages. */
    public synchronized void open(int index, int pages) {
        checkIndex(index);
        if (pages <= 0) {
            throw new IllegalArgumentException("pages must be positive");
        }
        buffers[index] = new Buffer((long) pages * PAGE);
    }

    /** Closes the buffer of an index; its records are dropped. */
    public synchronized void close(int index) {
        checkIndex(index);
        if (buffers[index] != null) {
            synchronized (buffers[index]) {
                lostClosed[index] += buffers[index].lost;
            }
        }
        buffers[index] = null;
    }

    /** The records of an index's buffer, oldest first, removing them. */
    public List<byte[]> drain(int index) {
        checkIndex(index);
        Buffer b;
        synchronized (this) {
            b = buffers[index];
        }
        if (b == null) {
            return List.of();
        }
        synchronized (b) {
            List<byte[]> out = new ArrayList<>(b.records);
            b.records.clear();
            b.used = 0;
            return out;
        }
    }

    /** Records of an index that did not fit, since creation. */
    public long lost(int index) {
        checkIndex(index);
        Buffer b;
        synchronized (this) {
            b = buffers[index];
        }
        long n = lostClosed[index];
        if (b != null) {
            synchronized (b) {
                n += b.lost;
            }
        }
        return n;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= spec.maxEntries()) {
            throw new IndexOutOfBoundsException("index " + index + " of perf event array with max_entries "
                    + spec.maxEntries());
        }
    }

    @Override
    public java.util.Optional<byte[]> nextKey(byte[] key) {
        return nextIndex(key);
    }

    /** The number of open buffers. */
    @Override
    public synchronized int size() {
        int n = 0;
        for (Buffer b : buffers) {
            n += b == null ? 0 : 1;
        }
        return n;
    }

    @Override
    boolean dumpable() {
        return false;
    }
}
