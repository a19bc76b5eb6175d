package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * The targets of {@code bpf_redirect_map}: {@code BPF_MAP_TYPE_DEVMAP} and {@code DEVMAP_HASH} (value
 * {@code struct bpf_devmap_val}: u32 ifindex, optionally a u32 program), {@code CPUMAP} (value
 * {@code struct bpf_cpumap_val}: u32 queue size, optionally a u32 program; the key is the CPU) and
 * {@code XSKMAP} (value: here the AF_XDP socket's queue id, where the kernel takes a socket fd).
 * {@link #redirectTarget} gives the redirect helper the ifindex, CPU or queue of a key, or -1.
 *
 * <p>Semantics as the kernel's: keys are u32 (devmap_hash: any u32, hash semantics, {@code E2BIG} when full;
 * the others: indexes below max_entries, {@code E2BIG} beyond on update, {@code EINVAL} on delete, and
 * delete of an empty slot succeeds). Flags beyond {@code BPF_EXIST} are {@code EINVAL}; devmap and cpumap
 * treat {@code BPF_NOEXIST} as {@code EEXIST} (array semantics); xskmap checks presence. A devmap update with
 * ifindex 0 empties the slot (devmap_hash: {@code EINVAL}); a cpumap update with queue size 0 empties it, above
 * 16384 is {@code EOVERFLOW}, a CPU the registry does not have {@code ENODEV}. The kernel checks that ifindexes
 * and sockets exist; this backend cannot and accepts any.
 *
 * <p>Programs may look up devmap, devmap_hash and xskmap entries (a read-only value, at a stable address in
 * the map's region); cpumap lookups return NULL; programs cannot update or delete.
 */
public final class RedirectMap extends BpfMap {
    private static final int STRIDE = 8;

    private final MapType kind;
    private final MemorySegment values;
    private final AtomicIntegerArray present;
    private final HashTable table;
    private final Region region;

    RedirectMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        this.kind = spec.type();
        boolean valueOk = kind == MapType.XSKMAP ? spec.valueSize() == 4
                : spec.valueSize() == 4 || spec.valueSize() == 8;
        if (spec.keySize() != 4 || !valueOk || spec.maxEntries() <= 0) {
            throw invalid(kind.bpftoolName() + " maps need key_size 4, value_size "
                    + (kind == MapType.XSKMAP ? "4" : "4 or 8") + " and max_entries > 0");
        }
        checkSlab(spec, (long) STRIDE * spec.maxEntries());
        if (kind == MapType.DEVMAP_HASH) {
            this.table = new HashTable(4, spec.valueSize(), spec.maxEntries(), 1, false, Hashing.mix(0x646576L + id));
            this.values = table.values;
            this.present = null;
        } else {
            this.table = null;
            this.values = Memory.allocate((long) STRIDE * spec.maxEntries());
            this.present = new AtomicIntegerArray(spec.maxEntries());
        }
        this.region = addRegion("values", values, false);
    }

    /**
     * What {@code bpf_redirect_map(map, key, flags)} sends to: the ifindex (devmap, devmap_hash), the CPU
     * (cpumap) or the queue id (xskmap) at {@code key}, or -1 when there is none.
     */
    public long redirectTarget(long key) {
        if (key < 0 || key > 0xffff_ffffL) {
            return -1;
        }
        if (table != null) {
            int slot = table.findU32((int) key);
            return slot < 0 ? -1 : values.get(ProgramMemory.LE32, table.valueOffset(slot, 0)) & 0xffff_ffffL;
        }
        if (key >= spec.maxEntries() || present.get((int) key) == 0) {
            return -1;
        }
        return kind == MapType.CPUMAP ? key : values.get(ProgramMemory.LE32, key * STRIDE) & 0xffff_ffffL;
    }

    // ---- program side

    @Override
    public long lookup(Memory mem, long keyAddress, int cpu) {
        if (kind == MapType.CPUMAP) {
            return 0;
        }
        if (table != null) {
            MemorySegment k = ProgramMemory.segment(mem, keyAddress, 4, false);
            int slot = table.find(k, ProgramMemory.offset(mem, keyAddress));
            return slot < 0 ? 0 : region.address(table.valueOffset(slot, 0));
        }
        long i = ProgramMemory.loadU32(mem, keyAddress);
        return i < spec.maxEntries() && present.get((int) i) != 0 ? region.address(i * STRIDE) : 0;
    }

    // ---- control plane

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey("lookup", key);
        if (kind == MapType.XSKMAP) {
            throw new MapException("lookup", Errno.EOPNOTSUPP, "xskmap entries cannot be read back");
        }
        if (table != null) {
            byte[] v = table.copyValue(MemorySegment.ofArray(key), 0);
            return v == null ? Optional.empty() : Optional.of(java.util.Arrays.copyOf(v, spec.valueSize()));
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries() || present.get((int) i) == 0) {
            return Optional.empty();
        }
        byte[] out = new byte[spec.valueSize()];
        MemorySegment.copy(values, ValueLayout.JAVA_BYTE, i * STRIDE, out, 0, out.length);
        return Optional.of(out);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        checkValue("update", value, spec.valueSize());
        if (Long.compareUnsigned(flags, EXIST) > 0) {
            throw new MapException("update", Errno.EINVAL, "invalid flags 0x" + Long.toHexString(flags));
        }
        long first = u32(value, 0);
        if (table != null) {
            if (first == 0) {
                throw new MapException("update", Errno.EINVAL, "ifindex 0 names no device");
            }
            long r = table.update(MemorySegment.ofArray(key), 0, MemorySegment.ofArray(value), 0, HashTable.COPY_ONE,
                    0, flags);
            if (r == -Errno.E2BIG) {
                throw new MapException("update", Errno.E2BIG, "map is full (max_entries " + spec.maxEntries() + ")");
            }
            MapException.check("update", r);
            return;
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            throw new MapException("update", Errno.E2BIG, "index " + i + " out of range (max_entries "
                    + spec.maxEntries() + ")");
        }
        int idx = (int) i;
        switch (kind) {
            case XSKMAP -> {
                synchronized (this) {
                    boolean there = present.get(idx) != 0;
                    if (there && flags == NOEXIST) {
                        throw MapException.of("update", Errno.EEXIST);
                    }
                    if (!there && flags == EXIST) {
                        throw MapException.of("update", Errno.ENOENT);
                    }
                    store(idx, value, true);
                }
            }
            case CPUMAP -> {
                if (flags == NOEXIST) {
                    throw MapException.of("update", Errno.EEXIST);
                }
                if (first > 16384) {
                    throw new MapException("update", Errno.EOVERFLOW, "queue size " + first + " above 16384");
                }
                if (i >= cpus) {
                    throw new MapException("update", Errno.ENODEV, "no CPU " + i + " (the backend has " + cpus + ")");
                }
                synchronized (this) {
                    store(idx, value, first != 0);
                }
            }
            default -> {
                if (flags == NOEXIST) {
                    throw MapException.of("update", Errno.EEXIST);
                }
                if (first == 0 && spec.valueSize() == 8 && u32(value, 4) != 0) {
                    throw new MapException("update", Errno.EINVAL, "a program needs an ifindex");
                }
                synchronized (this) {
                    store(idx, value, first != 0);
                }
            }
        }
    }

    private void store(int idx, byte[] value, boolean set) {
        if (!set) {
            present.set(idx, 0);
            return;
        }
        present.set(idx, 0);
        MemorySegment.copy(value, 0, values, ValueLayout.JAVA_BYTE, (long) idx * STRIDE, value.length);
        present.set(idx, 1);
    }

    @Override
    public void delete(byte[] key) {
        checkKey("delete", key);
        if (table != null) {
            MapException.check("delete", table.delete(MemorySegment.ofArray(key), 0));
            return;
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            throw new MapException("delete", Errno.EINVAL, "index " + i + " out of range");
        }
        present.set((int) i, 0);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        if (table == null) {
            return nextIndex(key);
        }
        if (key != null) {
            checkKey("get_next_key", key);
        }
        return Optional.ofNullable(table.nextKey(key));
    }

    @Override
    public List<byte[]> keys() {
        if (table == null) {
            return super.keys();
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[][] e : table.entries()) {
            out.add(e[0]);
        }
        return out;
    }
}
