package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.runtime.memory.Memory;

/**
 * {@code BPF_MAP_TYPE_BLOOM_FILTER}: no keys ({@code key_size} 0); values are added with push and tested with
 * peek: 0 when the value may be present, {@code -ENOENT} when it certainly is not. Nothing can be removed
 * (pop, delete: {@code EOPNOTSUPP} / {@code EINVAL}).
 *
 * <p>The kernel takes the number of hash functions from the low 4 bits of {@code map_extra} (default 5);
 * {@link MapSpec} carries no map_extra, so this uses {@link #HASHES} = 5. The bit array holds
 * {@code max_entries * 5 / ln 2} bits rounded up to a power of 2 (at least 64), about a 3% false-positive rate
 * at max_entries values, as in the kernel. Push flags must be {@code BPF_ANY}. Bits are set atomically, so
 * concurrent pushes lose nothing.
 */
public final class BloomFilterMap extends BpfMap {
    /** Hash functions per value. */
    public static final int HASHES = 5;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] bits;
    private final long bitMask;
    private final long seed;

    BloomFilterMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        if (spec.keySize() != 0 || spec.valueSize() <= 0 || spec.maxEntries() <= 0) {
            throw invalid("bloom_filter maps need key_size 0, value_size > 0 and max_entries > 0");
        }
        long want = Math.max(64, (long) Math.ceil(spec.maxEntries() * (double) HASHES / Math.log(2)));
        long n = Long.highestOneBit(want - 1) << 1;
        if (n > 1L << 35) {
            throw new MapException("create", Errno.E2BIG, "bloom filter of " + n + " bits is too big");
        }
        this.bits = new long[(int) (n / 64)];
        this.bitMask = n - 1;
        this.seed = Hashing.mix(0x626c6fL + id);
    }

    /** Number of bits. */
    public long bitCount() {
        return bitMask + 1;
    }

    private long bit(MemorySegment v, long off, int i) {
        return Hashing.hash(v, off, spec.valueSize(), seed + i) & 0xffff_ffffL
                | (long) Hashing.hash(v, off, spec.valueSize(), ~seed - i) << 32;
    }

    private void add(MemorySegment v, long off) {
        for (int i = 0; i < HASHES; i++) {
            long b = bit(v, off, i) & bitMask;
            LONGS.getAndBitwiseOr(bits, (int) (b >>> 6), 1L << b);
        }
    }

    private boolean mayContain(MemorySegment v, long off) {
        for (int i = 0; i < HASHES; i++) {
            long b = bit(v, off, i) & bitMask;
            if (((long) LONGS.getAcquire(bits, (int) (b >>> 6)) & (1L << b)) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long push(Memory mem, long valueAddress, long flags) {
        if (flags != ANY) {
            return -Errno.EINVAL;
        }
        add(ProgramMemory.segment(mem, valueAddress, spec.valueSize(), false), ProgramMemory.offset(mem, valueAddress));
        return 0;
    }

    @Override
    public long peek(Memory mem, long valueAddress) {
        MemorySegment v = ProgramMemory.segment(mem, valueAddress, spec.valueSize(), false);
        return mayContain(v, ProgramMemory.offset(mem, valueAddress)) ? 0 : -Errno.ENOENT;
    }

    @Override
    public long pop(Memory mem, long valueAddress) {
        return -Errno.EOPNOTSUPP;
    }

    /** Adds a value (the syscall's update with no key). */
    @Override
    public void push(byte[] value, long flags) {
        checkValue("push", value, spec.valueSize());
        if (flags != ANY) {
            throw new MapException("push", Errno.EINVAL, "bloom filters take only BPF_ANY");
        }
        add(MemorySegment.ofArray(value), 0);
    }

    /** True when the value may have been added; false when it certainly was not. */
    public boolean mightContain(byte[] value) {
        checkValue("peek", value, spec.valueSize());
        return mayContain(MemorySegment.ofArray(value), 0);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        if (key != null && key.length != 0) {
            throw new MapException("update", Errno.EINVAL, "bloom filters have no keys");
        }
        push(value, flags);
    }

    @Override
    public void delete(byte[] key) {
        throw MapException.of("delete", Errno.EINVAL);
    }

    @Override
    public java.util.Optional<byte[]> nextKey(byte[] key) {
        throw MapException.of("get_next_key", Errno.EINVAL);
    }

    /** Always 0: a bloom filter does not know how many values it holds. */
    @Override
    public int size() {
        return 0;
    }

    @Override
    boolean dumpable() {
        return false;
    }
}
