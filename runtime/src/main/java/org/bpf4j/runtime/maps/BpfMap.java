package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.Json;
import org.bpf4j.core.api.MapView;
import org.bpf4j.core.api.TypedMap;
import org.bpf4j.core.api.Codec;
import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * A map of the user-space backend, with the kernel's semantics. Created by a {@link MapRegistry}, one subclass
 * per family of map types.
 *
 * <h2>Program side</h2> The methods that take a {@link Memory} are what helpers call: keys and values are
 * program addresses in the calling thread's memory (checked: a bad pointer raises a
 * {@link org.bpf4j.runtime.BpfFault}), results are the helpers' results (an address or 0, or 0 / a negative
 * errno). {@code cpu} is the executing packet thread's index, used by per-CPU maps. These never block for long,
 * and lookups of arrays and hash maps allocate nothing.
 *
 * <h2>Control plane</h2> The methods that take byte arrays are the {@code bpf(2)} commands: they throw
 * {@link MapException} with the kernel's errno, and return {@link Optional#empty()} where the kernel says
 * {@code ENOENT} to a lookup. Per-CPU maps take and return values in the syscall's layout, one
 * {@code round_up(value_size, 8)} slot per CPU (see {@link #lookupPerCpu}).
 *
 * <p>Every operation is safe to call from several threads at once.
 */
public abstract sealed class BpfMap implements MapView permits ArrayMap, HashTableMap, LpmTrieMap, ProgArrayMap,
        MapOfMaps, QueueStackMap, RingBufMap, PerfEventArrayMap, BloomFilterMap, RedirectMap {

    /** {@code BPF_ANY}: create or update. */
    public static final long ANY = 0;
    /** {@code BPF_NOEXIST}: create only. */
    public static final long NOEXIST = 1;
    /** {@code BPF_EXIST}: update only (and, for queues and stacks, overwrite the oldest when full). */
    public static final long EXIST = 2;
    /** {@code BPF_F_LOCK}: copy the value under the element's lock (see each map). */
    public static final long F_LOCK = 4;

    final MapRegistry registry;
    final MapSpec spec;
    final int id;
    final int cpus;
    private final List<Region> regions = new ArrayList<>();

    BpfMap(MapRegistry registry, MapSpec spec, int id) {
        this.registry = registry;
        this.spec = spec;
        this.id = id;
        this.cpus = registry.cpus();
    }

    /** Gives a segment of this map a region id of its own, to be mapped at that id in every thread's memory. */
    final Region addRegion(String what, MemorySegment segment, boolean writable) {
        Region r = new Region(registry.allocateRegionId(), "map " + spec.name() + " " + what, segment, 0, writable);
        regions.add(r);
        return r;
    }

    static MapException invalid(String detail) {
        return new MapException("create", Errno.EINVAL, detail);
    }

    /** Checks a slab fits a region's 4 GiB window (and a Java array). */
    static void checkSlab(MapSpec spec, long bytes) {
        if (bytes > 0xffff_ffffL) {
            throw new MapException("create", Errno.E2BIG, "map '" + spec.name() + "' needs " + bytes
                    + " bytes of storage, more than a region's 4 GiB");
        }
    }

    // ---- identity

    public final MapSpec spec() {
        return spec;
    }

    public final String name() {
        return spec.name();
    }

    public final MapType type() {
        return spec.type();
    }

    /** The map's id in its registry: what control-plane lookups of map-in-map values return. */
    public final int id() {
        return id;
    }

    /** What {@code lddw rX, map_fd} loads: an address that names this map and faults when dereferenced. */
    public final long handle() {
        return MapRegistry.handleOf(id);
    }

    public final int keySize() {
        return spec.keySize();
    }

    public final int valueSize() {
        return spec.valueSize();
    }

    public final int maxEntries() {
        return spec.maxEntries();
    }

    /** Number of CPUs (packet threads) of the registry. */
    public final int cpus() {
        return cpus;
    }

    /** True for maps with one value per CPU. */
    public boolean isPerCpu() {
        return false;
    }

    /** The regions programs see this map's storage through (none for maps whose storage they never address). */
    public final List<Region> regions() {
        return List.copyOf(regions);
    }

    public final MapRegistry registry() {
        return registry;
    }

    @Override
    public String toString() {
        return spec.type().bpftoolName() + " map '" + spec.name() + "' (id " + id + ", key " + spec.keySize()
                + "B, value " + spec.valueSize() + "B, max_entries " + spec.maxEntries() + ")";
    }

    // ---- program side (helpers)

    /** {@code bpf_map_lookup_elem} (and {@code bpf_map_lookup_percpu_elem}): the value's address, or 0. */
    public long lookup(Memory mem, long keyAddress, int cpu) {
        return 0;
    }

    /** {@code bpf_map_update_elem}: 0 or a negative errno. */
    public long update(Memory mem, long keyAddress, long valueAddress, long flags, int cpu) {
        return -Errno.EOPNOTSUPP;
    }

    /** {@code bpf_map_delete_elem}: 0 or a negative errno. */
    public long delete(Memory mem, long keyAddress) {
        return -Errno.EOPNOTSUPP;
    }

    /** {@code bpf_map_push_elem}: 0 or a negative errno. */
    public long push(Memory mem, long valueAddress, long flags) {
        return -Errno.EOPNOTSUPP;
    }

    /** {@code bpf_map_pop_elem}: copies the element to {@code valueAddress}; 0 or a negative errno. */
    public long pop(Memory mem, long valueAddress) {
        return -Errno.EOPNOTSUPP;
    }

    /** {@code bpf_map_peek_elem}: copies the element to {@code valueAddress}; 0 or a negative errno. */
    public long peek(Memory mem, long valueAddress) {
        return -Errno.EOPNOTSUPP;
    }

    /**
     * {@code bpf_for_each_map_elem}: calls the visitor with each element's key and value address (for per-CPU
     * maps, {@code cpu}'s copy) until it returns non-zero; returns the number of elements visited, or a
     * negative errno for maps that do not support it. The visitor may update or delete elements.
     */
    public long forEach(Memory mem, int cpu, EntryVisitor visitor) {
        return -Errno.EOPNOTSUPP;
    }

    // ---- control plane (bpf(2))

    /** {@code BPF_MAP_LOOKUP_ELEM}: the value (per-CPU maps: every CPU's, in the syscall's layout). */
    public Optional<byte[]> lookup(byte[] key) {
        throw MapException.of("lookup", Errno.EOPNOTSUPP);
    }

    /** The value as one array per CPU, each {@code value_size} bytes (a single array for other maps). */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        return lookup(key).map(List::of);
    }

    /** {@code BPF_MAP_UPDATE_ELEM}. */
    public void update(byte[] key, byte[] value, long flags) {
        throw MapException.of("update", Errno.EOPNOTSUPP);
    }

    /** {@code BPF_MAP_UPDATE_ELEM} with {@code BPF_ANY}. */
    public final void update(byte[] key, byte[] value) {
        update(key, value, ANY);
    }

    /** {@code BPF_MAP_DELETE_ELEM}; {@code ENOENT} when the key is absent. */
    public void delete(byte[] key) {
        throw MapException.of("delete", Errno.EOPNOTSUPP);
    }

    /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}. */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        throw MapException.of("lookup_and_delete", Errno.EOPNOTSUPP);
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}: the key after {@code key}; the first key when {@code key} is null or not in
     * the map; empty after the last.
     */
    public Optional<byte[]> nextKey(byte[] key) {
        throw MapException.of("get_next_key", Errno.EOPNOTSUPP);
    }

    /** Every key, in get-next-key order. */
    public List<byte[]> keys() {
        Set<KeyBytes> seen = new LinkedHashSet<>();
        byte[] k = null;
        for (long i = 0; i <= (long) maxEntries() * 2; i++) {
            Optional<byte[]> n = nextKey(k);
            if (n.isEmpty() || !seen.add(new KeyBytes(n.get()))) {
                break;
            }
            k = n.get();
        }
        List<byte[]> out = new ArrayList<>(seen.size());
        seen.forEach(b -> out.add(b.bytes));
        return out;
    }

    /**
     * Number of elements: present keys of hash-like maps, max_entries of arrays, non-empty slots of program
     * arrays and arrays of maps, queued values; 0 for ring buffers and bloom filters.
     */
    public int size() {
        return keys().size();
    }

    /** Push to a queue, stack or bloom filter ({@code BPF_MAP_UPDATE_ELEM} with no key). */
    public void push(byte[] value, long flags) {
        throw MapException.of("push", Errno.EOPNOTSUPP);
    }

    /** Pop from a queue or stack ({@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} with no key). */
    public Optional<byte[]> pop() {
        throw MapException.of("pop", Errno.EOPNOTSUPP);
    }

    /** Peek at a queue or stack ({@code BPF_MAP_LOOKUP_ELEM} with no key). */
    public Optional<byte[]> peek() {
        throw MapException.of("peek", Errno.EOPNOTSUPP);
    }

    /** A typed view. */
    public final <K, V> TypedMap<K, V> typed(Codec<K> keys, Codec<V> values) {
        return new TypedMap<>(this, keys, values);
    }

    // ---- dump

    /** What {@code bpftool -j map dump} prints for this map (without BTF), newline included. */
    public final String dumpJson() {
        return dumpJson(false);
    }

    /** {@code bpftool -j map dump}, or with {@code pretty} {@code bpftool -p map dump}. */
    public final String dumpJson(boolean pretty) {
        Json w = new Json(pretty);
        w.beginArray();
        if (dumpable()) {
            for (byte[] key : keys()) {
                int error = 0;
                Optional<List<byte[]>> values = Optional.empty();
                try {
                    values = lookupPerCpu(key);
                    if (values.isEmpty()) {
                        error = Errno.ENOENT;
                    }
                } catch (MapException e) {
                    error = e.errno();
                }
                if (error == Errno.ENOENT && skipsMissingInDump()) {
                    continue;
                }
                w.beginObject().name("key").hex(key);
                if (error != 0) {
                    w.name("value").beginObject().name("error").value(Errno.strerror(error)).endObject();
                } else if (isPerCpu()) {
                    w.name("values").beginArray();
                    List<byte[]> vs = values.get();
                    for (int c = 0; c < vs.size(); c++) {
                        w.beginObject().name("cpu").value(c).name("value").hex(vs.get(c))
                                .endObject();
                    }
                    w.endArray();
                } else {
                    byte[] v = values.get().getFirst();
                    w.name("value").hex(v);
                }
                w.endObject();
            }
        }
        w.endArray();
        return w.finish();
    }

    /** False for maps bpftool dumps as {@code []} (queues, stacks, ring buffers, ...). */
    boolean dumpable() {
        return true;
    }

    /** True for maps of programs and of maps, whose empty slots bpftool leaves out of a dump. */
    boolean skipsMissingInDump() {
        return false;
    }

    // ---- shared checks and helpers

    final void checkKey(String op, byte[] key) {
        if (key == null || key.length != spec.keySize()) {
            throw new MapException(op, Errno.EINVAL, "key of " + (key == null ? "no" : key.length)
                    + " bytes, the map's key_size is " + spec.keySize());
        }
    }

    final void checkValue(String op, byte[] value, int expected) {
        if (value == null || value.length != expected) {
            throw new MapException(op, Errno.EINVAL, "value of " + (value == null ? "no" : value.length)
                    + " bytes, expected " + expected);
        }
    }

    /** Splits a syscall-layout per-CPU value into one {@code value_size} array per CPU. */
    final List<byte[]> splitPerCpu(byte[] all) {
        int stride = ProgramMemory.roundUp8(spec.valueSize());
        List<byte[]> out = new ArrayList<>(cpus);
        for (int c = 0; c < cpus; c++) {
            out.add(Arrays.copyOfRange(all, c * stride, c * stride + spec.valueSize()));
        }
        return List.copyOf(out);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    static byte[] u32Bytes(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** Array-like maps' get-next-key: 0 first, index + 1 next, ENOENT after the last. */
    final Optional<byte[]> nextIndex(byte[] key) {
        if (key != null) {
            checkKey("get_next_key", key);
        }
        long i = key == null ? -1 : u32(key, 0);
        if (i >= spec.maxEntries()) {
            i = -1;
        }
        return i + 1 < spec.maxEntries() ? Optional.of(u32Bytes(i + 1)) : Optional.empty();
    }

    /** Byte arrays compared by content. */
    record KeyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
