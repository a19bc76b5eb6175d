package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;

/**
 * {@code BPF_MAP_TYPE_ARRAY_OF_MAPS} and {@code BPF_MAP_TYPE_HASH_OF_MAPS}: values are inner maps. The control
 * plane stores a map reference (its registry id as a u32, where the kernel takes an fd; or a {@link BpfMap}
 * with {@link #set}); a control-plane lookup returns the id, as the kernel returns the inner map's id. A
 * program's lookup returns the inner map's <em>handle</em>, which it then passes to map helpers.
 *
 * <p>An inner map must match the outer map's template ({@link MapSpec#innerMap()}, when there is one): same
 * type, key and value sizes and flags, and max_entries unless the template has {@code BPF_F_INNER_MAP};
 * otherwise {@code EINVAL}. Maps of maps do not nest.
 *
 * <p>Array of maps: fd-array semantics (update flags must be {@code BPF_ANY}; index beyond max_entries
 * {@code E2BIG}; lookup and delete of an empty slot {@code ENOENT}). Hash of maps: hash semantics
 * ({@code BPF_NOEXIST}/{@code BPF_EXIST}, {@code E2BIG} when full). Programs cannot update either.
 */
public final class MapOfMaps extends BpfMap {
    private final boolean hash;
    private final AtomicIntegerArray slots;
    private final HashTable table;

    MapOfMaps(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        this.hash = spec.type() == MapType.HASH_OF_MAPS;
        if (spec.valueSize() != 4 || spec.maxEntries() <= 0 || (hash ? spec.keySize() <= 0 : spec.keySize() != 4)) {
            throw invalid(spec.type().bpftoolName() + " maps need value_size 4 (a map reference), "
                    + (hash ? "key_size > 0" : "key_size 4") + " and max_entries > 0");
        }
        if (hash) {
            checkSlab(spec, (long) ProgramMemory.roundUp8(spec.keySize()) * spec.maxEntries());
            this.table = new HashTable(spec.keySize(), 4, spec.maxEntries(), 1, false, Hashing.mix(0x686f6dL + id));
            this.slots = null;
        } else {
            this.table = null;
            this.slots = new AtomicIntegerArray(spec.maxEntries());
            for (int i = 0; i < spec.maxEntries(); i++) {
                slots.set(i, -1);
            }
        }
    }

    // ---- program side

    /** The inner map's handle, or 0. */
    @Override
    public long lookup(Memory mem, long keyAddress, int cpu) {
        int inner;
        if (hash) {
            MemorySegment k = ProgramMemory.segment(mem, keyAddress, spec.keySize(), false);
            int slot = table.find(k, ProgramMemory.offset(mem, keyAddress));
            if (slot < 0) {
                return 0;
            }
            inner = table.values.get(ProgramMemory.LE32, table.valueOffset(slot, 0));
        } else {
            long i = ProgramMemory.loadU32(mem, keyAddress);
            if (i >= spec.maxEntries()) {
                return 0;
            }
            inner = slots.get((int) i);
        }
        return inner < 0 ? 0 : MapRegistry.handleOf(inner);
    }

    // ---- control plane

    /** Sets (or replaces) the inner map at a key. */
    public void set(byte[] key, BpfMap inner, long flags) {
        if (inner.registry() != registry) {
            throw new MapException("update", Errno.EINVAL, "inner map " + inner.name() + " is of another registry");
        }
        update(key, u32Bytes(inner.id()), flags);
    }

    /** Sets the inner map at an index (array of maps) or u32 key. */
    public void set(int index, BpfMap inner) {
        set(u32Bytes(index), inner, ANY);
    }

    /** The inner map at a key. */
    public Optional<BpfMap> inner(byte[] key) {
        return lookup(key).map(v -> registry.byId((int) u32(v, 0)));
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey("lookup", key);
        if (hash) {
            byte[] v = table.copyValue(MemorySegment.ofArray(key), 0);
            return v == null ? Optional.empty() : Optional.of(java.util.Arrays.copyOf(v, 4));
        }
        long i = u32(key, 0);
        int inner = i < spec.maxEntries() ? slots.get((int) i) : -1;
        return inner < 0 ? Optional.empty() : Optional.of(u32Bytes(inner));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        checkValue("update", value, 4);
        long innerId = u32(value, 0);
        BpfMap inner = innerId > Integer.MAX_VALUE ? null : registry.byId((int) innerId);
        if (inner == null) {
            throw new MapException("update", Errno.EINVAL, "no map with id " + innerId);
        }
        String why = MapRegistry.incompatible(spec.innerMap(), inner);
        if (why != null) {
            throw new MapException("update", Errno.EINVAL, why);
        }
        if (hash) {
            if (Long.compareUnsigned(flags, EXIST) > 0) {
                throw new MapException("update", Errno.EINVAL, "invalid flags 0x" + Long.toHexString(flags));
            }
            long r = table.update(MemorySegment.ofArray(key), 0, MemorySegment.ofArray(value), 0,
                    HashTable.COPY_ONE, 0, flags);
            if (r == -Errno.E2BIG) {
                throw new MapException("update", Errno.E2BIG, "map is full (max_entries " + spec.maxEntries() + ")");
            }
            MapException.check("update", r);
            return;
        }
        if (flags != ANY) {
            throw new MapException("update", Errno.EINVAL, "arrays of maps take only BPF_ANY");
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            throw new MapException("update", Errno.E2BIG, "index " + i + " out of range (max_entries "
                    + spec.maxEntries() + ")");
        }
        slots.set((int) i, (int) innerId);
    }

    @Override
    public void delete(byte[] key) {
        checkKey("delete", key);
        if (hash) {
            MapException.check("delete", table.delete(MemorySegment.ofArray(key), 0));
            return;
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            throw new MapException("delete", Errno.E2BIG, "index " + i + " out of range");
        }
        if (slots.getAndSet((int) i, -1) < 0) {
            throw MapException.of("delete", Errno.ENOENT);
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        if (!hash) {
            return nextIndex(key);
        }
        if (key != null) {
            checkKey("get_next_key", key);
        }
        return Optional.ofNullable(table.nextKey(key));
    }

    @Override
    public List<byte[]> keys() {
        if (!hash) {
            return super.keys();
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[][] e : table.entries()) {
            out.add(e[0]);
        }
        return out;
    }

    @Override
    public int size() {
        if (hash) {
            return table.size();
        }
        int n = 0;
        for (int i = 0; i < spec.maxEntries(); i++) {
            n += slots.get(i) < 0 ? 0 : 1;
        }
        return n;
    }

    @Override
    boolean skipsMissingInDump() {
        return true;
    }
}
