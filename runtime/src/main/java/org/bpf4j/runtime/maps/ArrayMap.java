package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * {@code BPF_MAP_TYPE_ARRAY} and {@code BPF_MAP_TYPE_PERCPU_ARRAY} (and global data, {@code .data},
 * {@code .rodata}, {@code .bss}: one-element arrays holding the section).
 *
 * <p>Storage: one region of {@code max_entries} values, {@code round_up(value_size, 8)} apart (per-CPU: each
 * element holds its CPUs' copies one after another, {@code cpus * round_up(value_size, 8)} per element), all
 * zero at creation, at fixed addresses for the map's life: a value's address, from {@link #lookup} or
 * {@link #address}, stays valid and sees every later update (updates copy in place). The region is read-only
 * to programs for {@code BPF_F_RDONLY_PROG} maps. A second, read-only region holds the keys (index {@code i}
 * as a u32 at {@code 4 * i}), for {@link #forEach}.
 *
 * <p>Semantics: every index below max_entries exists; lookup of an index beyond is NULL / ENOENT, update beyond
 * is {@code E2BIG}; {@code BPF_NOEXIST} is {@code EEXIST}; delete is {@code EINVAL}. {@code BPF_F_LOCK} (not for
 * per-CPU arrays: {@code EINVAL}) copies under a per-element lock shared with control-plane
 * {@code BPF_F_LOCK} lookups; it does not interlock with a program's own {@code bpf_spin_lock}.
 */
public final class ArrayMap extends BpfMap {
    private final boolean perCpu;
    private final int cpuStride;
    private final int stride;
    private final MemorySegment values;
    private final Region valueRegion;
    private final Region keyRegion;
    private final Object[] locks = new Object[64];

    ArrayMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        this.perCpu = spec.type() == MapType.PERCPU_ARRAY;
        if (spec.keySize() != 4 || spec.valueSize() <= 0 || spec.maxEntries() <= 0) {
            throw invalid("array maps need key_size 4, value_size > 0 and max_entries > 0 (got key " + spec.keySize()
                    + ", value " + spec.valueSize() + ", max_entries " + spec.maxEntries() + ")");
        }
        this.cpuStride = ProgramMemory.roundUp8(spec.valueSize());
        this.stride = cpuStride * (perCpu ? cpus : 1);
        checkSlab(spec, (long) stride * spec.maxEntries());
        this.values = Memory.allocate((long) stride * spec.maxEntries());
        MemorySegment keys = Memory.allocate(4L * spec.maxEntries());
        for (int i = 0; i < spec.maxEntries(); i++) {
            keys.set(ProgramMemory.LE32, 4L * i, i);
        }
        byte[] init = spec.initialData();
        if (init != null) {
            int n = Math.min(init.length, spec.valueSize());
            for (int c = 0; c < (perCpu ? cpus : 1); c++) {
                MemorySegment.copy(init, 0, values, ValueLayout.JAVA_BYTE, (long) c * cpuStride, n);
            }
        }
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.valueRegion = addRegion("values", values, !spec.readOnlyForPrograms());
        this.keyRegion = addRegion("keys", keys, false);
    }

    @Override
    public boolean isPerCpu() {
        return perCpu;
    }

    /**
     * The address of element {@code index}'s value (per-CPU: {@code cpu}'s copy), what a program sees; for
     * {@code lddw rX, map_value} relocations of global data. -1 when out of range.
     */
    public long address(int index, int cpu) {
        if (index < 0 || index >= spec.maxEntries() || cpu < 0 || cpu >= (perCpu ? cpus : 1)) {
            return -1;
        }
        return valueRegion.address((long) index * stride + (long) cpu * cpuStride);
    }

    /** The storage, for loaders and tests; offsets as in {@link #address}. */
    public MemorySegment segment() {
        return values;
    }

    // ---- program side

    @Override
    public long lookup(Memory mem, long keyAddress, int cpu) {
        long i = ProgramMemory.loadU32(mem, keyAddress);
        if (i >= spec.maxEntries()) {
            return 0;
        }
        if (perCpu) {
            if (cpu < 0 || cpu >= cpus) {
                return 0;
            }
            return valueRegion.address(i * stride + (long) cpu * cpuStride);
        }
        return valueRegion.address(i * stride);
    }

    @Override
    public long update(Memory mem, long keyAddress, long valueAddress, long flags, int cpu) {
        long i = ProgramMemory.loadU32(mem, keyAddress);
        long err = checkUpdate(i, flags);
        if (err != 0) {
            return err;
        }
        if (spec.readOnlyForPrograms()) {
            return -Errno.EINVAL;
        }
        if (perCpu && (cpu < 0 || cpu >= cpus)) {
            return -Errno.EINVAL;
        }
        MemorySegment src = ProgramMemory.segment(mem, valueAddress, spec.valueSize(), false);
        long from = ProgramMemory.offset(mem, valueAddress);
        long to = i * stride + (perCpu ? (long) cpu * cpuStride : 0);
        if ((flags & F_LOCK) != 0) {
            synchronized (locks[(int) (i & (locks.length - 1))]) {
                MemorySegment.copy(src, from, values, to, spec.valueSize());
            }
        } else {
            MemorySegment.copy(src, from, values, to, spec.valueSize());
        }
        return 0;
    }

    private long checkUpdate(long index, long flags) {
        if (Long.compareUnsigned(perCpu ? flags : flags & ~F_LOCK, EXIST) > 0) {
            return -Errno.EINVAL;
        }
        if (index >= spec.maxEntries()) {
            return -Errno.E2BIG;
        }
        if ((flags & NOEXIST) != 0) {
            return -Errno.EEXIST;
        }
        return 0;
    }

    @Override
    public long delete(Memory mem, long keyAddress) {
        ProgramMemory.loadU32(mem, keyAddress);
        return -Errno.EINVAL;
    }

    @Override
    public long forEach(Memory mem, int cpu, EntryVisitor visitor) {
        if (perCpu && (cpu < 0 || cpu >= cpus)) {
            return -Errno.EINVAL;
        }
        long n = 0;
        for (int i = 0; i < spec.maxEntries(); i++) {
            n++;
            long value = valueRegion.address((long) i * stride + (perCpu ? (long) cpu * cpuStride : 0));
            if (visitor.visit(keyRegion.address(4L * i), value) != 0) {
                break;
            }
        }
        return n;
    }

    // ---- control plane

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        return lookup(key, 0);
    }

    /** Lookup; with {@link #F_LOCK}, the copy is taken under the element's lock. */
    public Optional<byte[]> lookup(byte[] key, long flags) {
        checkKey("lookup", key);
        if ((flags & ~F_LOCK) != 0 || (perCpu && flags != 0)) {
            throw MapException.of("lookup", Errno.EINVAL);
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            return Optional.empty();
        }
        int len = perCpu ? stride : spec.valueSize();
        byte[] out = new byte[len];
        if (flags != 0) {
            synchronized (locks[(int) (i & (locks.length - 1))]) {
                MemorySegment.copy(values, ValueLayout.JAVA_BYTE, i * stride, out, 0, len);
            }
        } else {
            MemorySegment.copy(values, ValueLayout.JAVA_BYTE, i * stride, out, 0, len);
        }
        return Optional.of(out);
    }

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        if (!perCpu) {
            return super.lookupPerCpu(key);
        }
        return lookup(key).map(this::splitPerCpu);
    }

    /**
     * Update. Per-CPU arrays take either {@code cpus * round_up(value_size, 8)} bytes (the syscall's layout, one
     * value per CPU) or {@code value_size} bytes (the same value for every CPU, as bpftool does).
     */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        long i = u32(key, 0);
        long err = checkUpdate(i, flags);
        if (err != 0) {
            throw err == -Errno.E2BIG ? new MapException("update", Errno.E2BIG, "index " + i
                    + " out of range (max_entries " + spec.maxEntries() + ")") : MapException.of("update", (int) -err);
        }
        if (perCpu) {
            if (value != null && value.length == stride && stride != spec.valueSize()) {
                for (int c = 0; c < cpus; c++) {
                    MemorySegment.copy(value, c * cpuStride, values, ValueLayout.JAVA_BYTE, i * stride + c * cpuStride,
                            spec.valueSize());
                }
                return;
            }
            checkValue("update", value, spec.valueSize());
            for (int c = 0; c < cpus; c++) {
                MemorySegment.copy(value, 0, values, ValueLayout.JAVA_BYTE, i * stride + c * cpuStride,
                        spec.valueSize());
            }
            return;
        }
        checkValue("update", value, spec.valueSize());
        if ((flags & F_LOCK) != 0) {
            synchronized (locks[(int) (i & (locks.length - 1))]) {
                MemorySegment.copy(value, 0, values, ValueLayout.JAVA_BYTE, i * stride, spec.valueSize());
            }
        } else {
            MemorySegment.copy(value, 0, values, ValueLayout.JAVA_BYTE, i * stride, spec.valueSize());
        }
    }

    @Override
    public void delete(byte[] key) {
        checkKey("delete", key);
        throw new MapException("delete", Errno.EINVAL, "array elements cannot be deleted");
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        return nextIndex(key);
    }

    @Override
    public int size() {
        return spec.maxEntries();
    }
}
