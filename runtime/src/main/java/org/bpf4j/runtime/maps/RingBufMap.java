package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * {@code BPF_MAP_TYPE_RINGBUF}: a multi-producer, single-consumer ring of {@code max_entries} bytes (a power of
 * 2 and a multiple of the 4096-byte page) shared by all CPUs.
 *
 * <p>Records as in the kernel: an 8-byte header (u32 length with {@code BUSY} bit 31 while reserved and
 * {@code DISCARD} bit 30, u32 unused here) followed by the data, the whole rounded up to 8 bytes. Producer and
 * consumer positions count bytes forever; a record lives at {@code position % size}. A reservation fails (NULL)
 * when the record would take the producer more than {@code size} bytes ahead of the consumer, or when the
 * record alone exceeds the ring; {@link #output} then returns {@code -EAGAIN}, as the kernel's does.
 *
 * <p>Memory: one region of {@code 2 * size} bytes. The kernel maps the data pages twice in a row so that a
 * record wrapping past the end is contiguous; here the second half plays the mirror: a record starting near
 * the end simply continues into it, and the consumer reads it from there. Headers never wrap (8-byte aligned
 * positions). {@link #reserve} returns the address of a record's data in that region; the program writes it
 * and hands it to {@link #submit} or {@link #discard}.
 *
 * <p>Consumer (control plane, one at a time): {@link #poll}, {@link #consume}, {@link #drain} return submitted
 * records in order, skip discarded ones, and stop at the first record still reserved.
 */
public final class RingBufMap extends BpfMap {
    /** {@code BPF_RB_AVAIL_DATA}, {@code BPF_RB_RING_SIZE}, {@code BPF_RB_CONS_POS}, {@code BPF_RB_PROD_POS}. */
    public static final int AVAIL_DATA = 0, RING_SIZE = 1, CONS_POS = 2, PROD_POS = 3;
    /** {@code BPF_RB_NO_WAKEUP}, {@code BPF_RB_FORCE_WAKEUP}: accepted, meaningless here. */
    public static final long NO_WAKEUP = 1, FORCE_WAKEUP = 2;
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HEADER = 8;
    private static final VarHandle HDR = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final long size;
    private final long mask;
    private final MemorySegment data;
    private final Region region;
    private final Object producerLock = new Object();
    private volatile long producerPos;
    private volatile long consumerPos;

    RingBufMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        long n = spec.maxEntries() & 0xffff_ffffL;
        if (spec.keySize() != 0 || spec.valueSize() != 0 || n < 4096 || (n & (n - 1)) != 0 || n % 4096 != 0) {
            throw invalid("ringbuf maps need key_size 0, value_size 0 and max_entries a power of 2 multiple of "
                    + "the 4096-byte page (got " + n + ")");
        }
        checkSlab(spec, 2 * n);
        this.size = n;
        this.mask = n - 1;
        this.data = Memory.allocate(2 * n);
        this.region = addRegion("data", data, true);
    }

    /** The ring's data size in bytes. */
    public long ringSize() {
        return size;
    }

    // ---- program side

    /**
     * {@code bpf_ringbuf_reserve}: the address of {@code size} writable bytes, or 0 when the ring has no room
     * (or {@code flags} is not 0).
     */
    public long reserve(long length, long flags) {
        if (flags != 0 || length < 0 || length > (0xffff_ffffL >>> 2)) {
            return 0;
        }
        long total = ProgramMemory.roundUp8(length + HEADER);
        if (total > size) {
            return 0;
        }
        synchronized (producerLock) {
            long prod = producerPos;
            // as __bpf_ringbuf_reserve: the records outstanding may span at most size - 1 bytes (the mask)
            if (prod + total - consumerPos > mask) {
                return 0;
            }
            long at = prod & mask;
            HDR.setRelease(data, at, (int) length | BUSY);
            data.set(ValueLayout.JAVA_INT, at + 4, (int) (at >>> 3));
            producerPos = prod + total;
            return region.address(at + HEADER);
        }
    }

    /** {@code bpf_ringbuf_submit}: publishes a reserved record. */
    public void submit(long recordAddress, long flags) {
        commit(recordAddress, false);
    }

    /** {@code bpf_ringbuf_discard}: releases a reserved record; consumers skip it. */
    public void discard(long recordAddress, long flags) {
        commit(recordAddress, true);
    }

    private void commit(long recordAddress, boolean discard) {
        long at = (recordAddress - region.start()) - HEADER;
        if (recordAddress >>> 32 != region.id() || at < 0 || at >= size || (at & 7) != 0) {
            throw notReserved(recordAddress);
        }
        while (true) {
            int h = (int) HDR.getAcquire(data, at);
            if ((h & BUSY) == 0) {
                throw notReserved(recordAddress);
            }
            int done = (h & ~BUSY) | (discard ? DISCARD : 0);
            if (HDR.compareAndSet(data, at, h, done)) {
                return;
            }
        }
    }

    private BpfFault notReserved(long address) {
        return new BpfFault(BpfFault.Kind.OUT_OF_BOUNDS, "0x" + Long.toHexString(address)
                + " is no reserved record of ring buffer '" + spec.name() + "'", address);
    }

    /** {@code bpf_ringbuf_output}: copies {@code length} bytes of program memory as one record; 0 or -EAGAIN. */
    public long output(Memory mem, long dataAddress, long length, long flags) {
        if ((flags & ~(NO_WAKEUP | FORCE_WAKEUP)) != 0) {
            return -Errno.EINVAL;
        }
        MemorySegment src = ProgramMemory.segment(mem, dataAddress, length, false);
        long from = ProgramMemory.offset(mem, dataAddress);
        long rec = reserve(length, 0);
        if (rec == 0) {
            return -Errno.EAGAIN;
        }
        MemorySegment.copy(src, from, data, rec - region.start(), length);
        submit(rec, 0);
        return 0;
    }

    /** {@code bpf_ringbuf_query}. */
    public long query(long flags) {
        return switch ((int) flags) {
            case AVAIL_DATA -> producerPos - consumerPos;
            case RING_SIZE -> size;
            case CONS_POS -> consumerPos;
            case PROD_POS -> producerPos;
            default -> 0;
        };
    }

    // ---- consumer

    /** The next submitted record, skipping discarded ones; empty when none is ready. */
    // Like the kernel's ring buffer map: no element operations from user space.
    @Override
    public Optional<byte[]> lookup(byte[] key) {
        throw MapException.of("lookup", Errno.ENOTSUPP);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw MapException.of("update", Errno.ENOTSUPP);
    }

    @Override
    public void delete(byte[] key) {
        throw MapException.of("delete", Errno.ENOTSUPP);
    }

    public synchronized Optional<byte[]> poll() {
        long cons = consumerPos;
        while (cons < producerPos) {
            long at = cons & mask;
            int h = (int) HDR.getAcquire(data, at);
            if ((h & BUSY) != 0) {
                break;
            }
            int len = h & ~(BUSY | DISCARD);
            long total = ProgramMemory.roundUp8(len + (long) HEADER);
            if (total > size || cons + total > producerPos) {
                // a header a program overwrote: nothing after it can be trusted
                consumerPos = producerPos;
                break;
            }
            cons += total;
            byte[] out = (h & DISCARD) != 0 ? null : new byte[len];
            if (out != null) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at + HEADER, out, 0, len);
            }
            consumerPos = cons;
            if (out != null) {
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    /** Hands every ready record to {@code sink}, in order; returns how many. */
    public int consume(Consumer<byte[]> sink) {
        int n = 0;
        for (Optional<byte[]> r = poll(); r.isPresent(); r = poll()) {
            sink.accept(r.get());
            n++;
        }
        return n;
    }

    /** Every ready record, in order. */
    public List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>();
        consume(out::add);
        return out;
    }

    /** Bytes between consumer and producer, records not yet consumed (ready or not). */
    public long available() {
        return producerPos - consumerPos;
    }

    public long consumerPosition() {
        return consumerPos;
    }

    public long producerPosition() {
        return producerPos;
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        throw MapException.of("get_next_key", Errno.ENOTSUPP);
    }

    @Override
    boolean dumpable() {
        return false;
    }

    @Override
    public int size() {
        return 0;
    }
}
