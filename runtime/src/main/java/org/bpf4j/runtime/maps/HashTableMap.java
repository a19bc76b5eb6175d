package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * {@code BPF_MAP_TYPE_HASH}, {@code PERCPU_HASH}, {@code LRU_HASH} and {@code LRU_PERCPU_HASH}.
 *
 * <p>Storage: every element is preallocated (as the kernel does without {@code BPF_F_NO_PREALLOC}, which is
 * accepted and ignored): a value region of {@code max_entries} values, {@code round_up(value_size, 8)} apart
 * (per-CPU: each element's CPU copies one after another), and a read-only key region of
 * {@code max_entries} keys, {@code round_up(key_size, 8)} apart (for {@link #forEach}'s key pointers). An
 * element keeps its value's address while it exists, and updates of an existing key copy in place, so an
 * address from {@link #lookup} sees later updates; after a delete, the slot may be reused by another key.
 *
 * <p>Semantics: {@code BPF_NOEXIST} on an existing key is {@code EEXIST}, {@code BPF_EXIST} on a missing one
 * {@code ENOENT}; a new key in a full map is {@code E2BIG}, except in LRU maps, which evict the least recently
 * used element instead. LRU order is exact: program lookups and all updates make an element the most recent
 * (control-plane lookups do not, as in the kernel). {@code BPF_F_LOCK} is accepted on non-per-CPU maps and
 * behaves as a plain update (updates are already serialised per bucket); per-CPU maps refuse it
 * ({@code EINVAL}). A program's update of a per-CPU map writes its CPU's copy (a new element's other copies
 * are zero). Programs cannot update or delete in {@code BPF_F_RDONLY_PROG} maps ({@code EINVAL}; the kernel's
 * verifier refuses such programs), whose value region is read-only to them.
 *
 * <p>Concurrency: lookups are lock-free and allocation-free; writers lock a stripe of buckets (LRU maps: one
 * lock, which also orders the recency list). See {@link HashTable}.
 */
public final class HashTableMap extends BpfMap {
    private final boolean perCpu;
    private final boolean lru;
    private final HashTable table;
    private final Region valueRegion;
    private final Region keyRegion;

    HashTableMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        MapType t = spec.type();
        this.perCpu = t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH;
        this.lru = t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
        if (spec.keySize() <= 0 || spec.valueSize() <= 0 || spec.maxEntries() <= 0) {
            throw invalid("hash maps need key_size, value_size and max_entries > 0 (got key " + spec.keySize()
                    + ", value " + spec.valueSize() + ", max_entries " + spec.maxEntries() + ")");
        }
        int copies = perCpu ? cpus : 1;
        checkSlab(spec, (long) ProgramMemory.roundUp8(spec.valueSize()) * copies * spec.maxEntries());
        checkSlab(spec, (long) ProgramMemory.roundUp8(spec.keySize()) * spec.maxEntries());
        this.table = new HashTable(spec.keySize(), spec.valueSize(), spec.maxEntries(), copies, lru,
                Hashing.mix(0x6d61_7073L + id));
        this.valueRegion = addRegion("values", table.values, !spec.readOnlyForPrograms());
        this.keyRegion = addRegion("keys", table.keys, false);
    }

    @Override
    public boolean isPerCpu() {
        return perCpu;
    }

    // ---- program side

    @Override
    public long lookup(Memory mem, long keyAddress, int cpu) {
        MemorySegment k = ProgramMemory.segment(mem, keyAddress, spec.keySize(), false);
        int slot = table.find(k, ProgramMemory.offset(mem, keyAddress));
        if (slot < 0) {
            return 0;
        }
        if (perCpu && (cpu < 0 || cpu >= cpus)) {
            return 0;
        }
        if (lru) {
            table.touch(slot);
        }
        return valueRegion.address(table.valueOffset(slot, perCpu ? cpu : 0));
    }

    @Override
    public long update(Memory mem, long keyAddress, long valueAddress, long flags, int cpu) {
        long base = checkFlags(flags);
        if (base < 0) {
            return base;
        }
        if (spec.readOnlyForPrograms() || perCpu && (cpu < 0 || cpu >= cpus)) {
            return -Errno.EINVAL;
        }
        MemorySegment k = ProgramMemory.segment(mem, keyAddress, spec.keySize(), false);
        long koff = ProgramMemory.offset(mem, keyAddress);
        MemorySegment v = ProgramMemory.segment(mem, valueAddress, spec.valueSize(), false);
        long voff = ProgramMemory.offset(mem, valueAddress);
        long r = table.update(k, koff, v, voff, perCpu ? HashTable.COPY_CPU : HashTable.COPY_ONE, cpu, base);
        return r < 0 ? r : 0;
    }

    // The flags without BPF_F_LOCK, or -EINVAL.
    private long checkFlags(long flags) {
        if (perCpu && (flags & F_LOCK) != 0) {
            return -Errno.EINVAL;
        }
        long base = flags & ~F_LOCK;
        return Long.compareUnsigned(base, EXIST) > 0 ? -Errno.EINVAL : base;
    }

    @Override
    public long delete(Memory mem, long keyAddress) {
        if (spec.readOnlyForPrograms()) {
            return -Errno.EINVAL;
        }
        MemorySegment k = ProgramMemory.segment(mem, keyAddress, spec.keySize(), false);
        return table.delete(k, ProgramMemory.offset(mem, keyAddress));
    }

    @Override
    public long forEach(Memory mem, int cpu, EntryVisitor visitor) {
        if (perCpu && (cpu < 0 || cpu >= cpus)) {
            return -Errno.EINVAL;
        }
        int c = perCpu ? cpu : 0;
        return table.forEachSlot(slot -> visitor.visit(keyRegion.address((long) slot * table.keyStride),
                valueRegion.address(table.valueOffset(slot, c))) != 0);
    }

    // ---- control plane

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey("lookup", key);
        byte[] v = table.copyValue(MemorySegment.ofArray(key), 0);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(perCpu ? v : Arrays.copyOf(v, spec.valueSize()));
    }

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        if (!perCpu) {
            return super.lookupPerCpu(key);
        }
        return lookup(key).map(this::splitPerCpu);
    }

    /**
     * Update. Per-CPU maps take either {@code cpus * round_up(value_size, 8)} bytes (one value per CPU, the
     * syscall's layout) or {@code value_size} bytes (the same value for every CPU, as bpftool does).
     */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        long base = checkFlags(flags);
        if (base < 0) {
            throw new MapException("update", Errno.EINVAL, "invalid flags 0x" + Long.toHexString(flags));
        }
        int mode = HashTable.COPY_ONE;
        if (perCpu) {
            if (value != null && value.length == table.valueStride && table.valueStride != spec.valueSize()) {
                mode = HashTable.COPY_PERCPU;
            } else {
                checkValue("update", value, spec.valueSize());
                mode = HashTable.COPY_ALL;
            }
        } else {
            checkValue("update", value, spec.valueSize());
        }
        long r = table.update(MemorySegment.ofArray(key), 0, MemorySegment.ofArray(value), 0, mode, 0, base);
        if (r == -Errno.E2BIG) {
            throw new MapException("update", Errno.E2BIG, "map is full (max_entries " + spec.maxEntries() + ")");
        }
        MapException.check("update", r);
    }

    @Override
    public void delete(byte[] key) {
        checkKey("delete", key);
        MapException.check("delete", table.delete(MemorySegment.ofArray(key), 0));
    }

    @Override
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        checkKey("lookup_and_delete", key);
        byte[] v = table.copyAndDelete(MemorySegment.ofArray(key), 0);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(perCpu ? v : Arrays.copyOf(v, spec.valueSize()));
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        if (key != null) {
            checkKey("get_next_key", key);
        }
        return Optional.ofNullable(table.nextKey(key));
    }

    @Override
    public List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>();
        for (byte[][] e : table.entries()) {
            out.add(e[0]);
        }
        return out;
    }

    @Override
    public int size() {
        return table.size();
    }

    /** Keys from least to most recently used (LRU maps), i.e. in eviction order. */
    public List<byte[]> lruOrder() {
        if (!lru) {
            throw new UnsupportedOperationException(type().bpftoolName() + " maps keep no recency order");
        }
        return table.lruOrder();
    }

    /** For tests: the first structural inconsistency of the table, or null. */
    String checkInvariants() {
        return table.checkInvariants();
    }
}
