package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * The maps of one user-space backend: creates them from {@link MapSpec}s, gives their storage region ids, maps
 * those regions into each executing thread's {@link Memory}, and names each map by a handle address.
 *
 * <h2>Regions</h2> Region ids are handed out from {@code firstRegion} (default {@link Memory#FIRST_FREE_REGION})
 * upwards, one or more per map, never reused; {@link #mapInto} maps every map's regions at those ids, so a value's
 * address is the same in every thread. Ids at and above {@link #nextFreeRegion()} are free for others.
 *
 * <h2>Handles</h2> A map's handle, what {@code lddw rX, map_fd} loads, is {@code HANDLE_REGION << 32 | id}. No
 * memory is mapped at {@link #HANDLE_REGION}, so a program that dereferences a handle faults; helpers turn a
 * handle back into the map with {@link #byHandle}.
 *
 * <pre>{@code
 * MapRegistry maps = new MapRegistry(4);                       // 4 packet threads
 * BpfMap counters = maps.create(MapSpec.of("counters", MapType.ARRAY, 4, 8, 256));
 * Memory mem = new Memory();
 * maps.mapInto(mem);                                           // in every thread
 * long value = counters.lookup(mem, keyAddress, cpu);
 * }</pre>
 *
 * <p>Thread-safe. Maps created after a thread's {@code mapInto} appear in its memory at its next
 * {@code mapInto} (which maps only what is missing); {@link #generation()} tells when that is needed.
 */
public final class MapRegistry {
    /** The region id of handles: a map's handle is {@code (long) HANDLE_REGION << 32 | id}. */
    public static final int HANDLE_REGION = 0x7fff_ff00;

    private final int cpus;
    private final int firstRegion;
    private int nextRegion;
    private volatile BpfMap[] maps = new BpfMap[0];
    // owner of each region id, from firstRegion on
    private volatile BpfMap[] owners = new BpfMap[0];

    /** A registry for {@code cpus} packet threads, whose map regions start at {@link Memory#FIRST_FREE_REGION}. */
    public MapRegistry(int cpus) {
        this(cpus, Memory.FIRST_FREE_REGION);
    }

    public MapRegistry(int cpus, int firstRegion) {
        if (cpus < 1) {
            throw new IllegalArgumentException("at least one CPU, not " + cpus);
        }
        if (firstRegion < Memory.FIRST_FREE_REGION || firstRegion >= HANDLE_REGION) {
            throw new IllegalArgumentException("map regions must start at or above " + Memory.FIRST_FREE_REGION);
        }
        this.cpus = cpus;
        this.firstRegion = firstRegion;
        this.nextRegion = firstRegion;
    }

    /** Number of CPUs, i.e. of copies of each per-CPU value. */
    public int cpus() {
        return cpus;
    }

    /**
     * Creates a map; its id is the number of maps created before it.
     *
     * @throws MapException {@code EINVAL} for a declaration the kernel would refuse or a type this backend does
     *                      not support, {@code E2BIG} for storage beyond a region's 4 GiB
     */
    public synchronized BpfMap create(MapSpec spec) {
        int id = maps.length;
        BpfMap m = switch (spec.type()) {
            case ARRAY, PERCPU_ARRAY -> new ArrayMap(this, spec, id);
            case HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH -> new HashTableMap(this, spec, id);
            case LPM_TRIE -> new LpmTrieMap(this, spec, id);
            case PROG_ARRAY -> new ProgArrayMap(this, spec, id);
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> new MapOfMaps(this, spec, id);
            case QUEUE, STACK -> new QueueStackMap(this, spec, id);
            case RINGBUF -> new RingBufMap(this, spec, id);
            case PERF_EVENT_ARRAY -> new PerfEventArrayMap(this, spec, id);
            case BLOOM_FILTER -> new BloomFilterMap(this, spec, id);
            case DEVMAP, DEVMAP_HASH, CPUMAP, XSKMAP -> new RedirectMap(this, spec, id);
            default -> throw new MapException("create", Errno.EINVAL, "map type " + spec.type().bpftoolName()
                    + " is not supported by the user-space backend");
        };
        BpfMap[] byRegion = Arrays.copyOf(owners, nextRegion - firstRegion);
        for (Region r : m.regions()) {
            byRegion[r.id() - firstRegion] = m;
        }
        owners = byRegion;
        BpfMap[] grown = Arrays.copyOf(maps, id + 1);
        grown[id] = m;
        maps = grown;
        return m;
    }

    /** Creates a map of an expected family, e.g. {@code create(spec, HashTableMap.class)}. */
    public <M extends BpfMap> M create(MapSpec spec, Class<M> family) {
        BpfMap m = create(spec);
        if (!family.isInstance(m)) {
            throw new IllegalArgumentException(spec.type().bpftoolName() + " map is a " + m.getClass().getSimpleName()
                    + ", not a " + family.getSimpleName());
        }
        return family.cast(m);
    }

    // Called by map constructors, under create's lock.
    int allocateRegionId() {
        if (nextRegion >= HANDLE_REGION) {
            throw new MapException("create", Errno.ENOSPC, "no region ids left");
        }
        return nextRegion++;
    }

    /** The first region id no map uses (nor will until more maps are created). */
    public synchronized int nextFreeRegion() {
        return nextRegion;
    }

    /** Increases with every map created: a thread whose memory was mapped at another generation should re-map. */
    public int generation() {
        return maps.length;
    }

    /** Every map, by id. */
    public List<BpfMap> maps() {
        return List.of(maps);
    }

    /** The map with this id, or null. */
    public BpfMap byId(int id) {
        BpfMap[] ms = maps;
        return id >= 0 && id < ms.length ? ms[id] : null;
    }

    /** The first map with this name. */
    public Optional<BpfMap> byName(String name) {
        for (BpfMap m : maps) {
            if (m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The map a handle names, or null when the address is no handle of this registry. */
    public BpfMap byHandle(long address) {
        if (!isHandle(address)) {
            return null;
        }
        return byId((int) address);
    }

    /**
     * The map whose storage an address falls in (by its region id), or null: e.g. the ring buffer of a record
     * that {@code bpf_ringbuf_submit} receives. Allocates nothing.
     */
    public BpfMap byAddress(long address) {
        long i = (address >>> 32) - firstRegion;
        BpfMap[] os = owners;
        return i >= 0 && i < os.length ? os[(int) i] : null;
    }

    /** True when an address is in the handle region. */
    public static boolean isHandle(long address) {
        return address >>> 32 == HANDLE_REGION && (int) address >= 0;
    }

    /** The handle of the map with an id. */
    public static long handleOf(int id) {
        return (long) HANDLE_REGION << 32 | (id & 0xffff_ffffL);
    }

    /**
     * Maps every map's regions into a thread's memory at their ids; regions already mapped there (same segment)
     * are left alone, so calling it again after creating maps is cheap.
     */
    public void mapInto(Memory memory) {
        for (BpfMap m : maps) {
            for (Region r : m.regions()) {
                Region there = memory.region(r.id());
                if (there == null || there.segment() != r.segment()) {
                    memory.mapAt(r.id(), r.name(), r.segment(), r.base(), r.writable());
                }
            }
        }
    }

    /** Checks an inner map against an outer map's template, as {@code bpf_map_meta_equal} does. */
    static String incompatible(MapSpec template, BpfMap inner) {
        if (inner.type() == MapType.ARRAY_OF_MAPS || inner.type() == MapType.HASH_OF_MAPS) {
            return "maps of maps cannot be nested";
        }
        if (template == null) {
            return null;
        }
        if (template.type() != inner.type() || template.keySize() != inner.keySize()
                || template.valueSize() != inner.valueSize()
                || (template.flags() & ~F_INNER_MAP) != (inner.spec().flags() & ~F_INNER_MAP)) {
            return "inner map " + inner.name() + " does not match the template (type, key, value sizes, flags)";
        }
        if ((template.flags() & F_INNER_MAP) == 0 && template.maxEntries() != inner.maxEntries()) {
            return "inner map " + inner.name() + " has max_entries " + inner.maxEntries() + ", the template "
                    + template.maxEntries() + " (set BPF_F_INNER_MAP to allow any)";
        }
        return null;
    }

    /** {@code BPF_F_INNER_MAP}: inner maps may differ in max_entries. */
    public static final int F_INNER_MAP = 0x1000;
}
