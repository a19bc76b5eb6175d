package org.bpf4j.kernel;

import org.bpf4j.core.api.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfCommand;
import org.bpf4j.kernel.sys.BpfFs;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.FdInfo;
import org.bpf4j.kernel.sys.MapCreate;
import org.bpf4j.kernel.sys.MapInfo;
import org.bpf4j.kernel.sys.PossibleCpus;

/**
 * A map in the kernel, seen from user space: the control-plane operations of the user-space backend's maps
 * ({@code lookup}, {@code update}, {@code delete}, {@code nextKey}, {@code keys}, with byte-array keys and values),
 * the batch operations, {@code freeze}, pinning and a {@code bpftool map dump -j} shaped {@link #dumpJson}.
 *
 * <p>Per-CPU maps take and return values in the syscall's layout: one {@code round_up(value_size, 8)}-byte slot
 * per possible CPU ({@link #lookupPerCpu} splits it). Every kernel error is a {@link BpfSyscallException} carrying
 * the errno; lookups turn {@code ENOENT} into {@link Optional#empty()}. A key or value of the wrong size is refused
 * before the kernel sees it, with {@code EINVAL}.
 *
 * <p>The map's file descriptor is this object's: {@link #close()} closes it (maps of a {@link KernelObject} are
 * closed with it). The kernel frees the map once nothing (descriptor, pin, program) holds it.
 */
public final class KernelMap implements AutoCloseable {
    private final Fd fd;
    private final MapInfo info;
    private final MapSpec spec;
    private final int cpus;

    KernelMap(Fd fd, MapInfo info, MapSpec spec) {
        this.fd = fd;
        this.info = info;
        this.spec = spec;
        this.cpus = info.isPerCpu() ? PossibleCpus.count() : 1;
    }

    /** Wraps a map file descriptor (which the new object owns). */
    public static KernelMap of(Fd fd) {
        try {
            return new KernelMap(fd, Bpf.mapInfo(fd.get()), null);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Opens the map with this id ({@code BPF_MAP_GET_FD_BY_ID}). */
    public static KernelMap open(int id) {
        return of(Bpf.mapFdById(id));
    }

    /** Opens a pinned map ({@code BPF_OBJ_GET}). */
    public static KernelMap openPinned(Path path) {
        return of(Bpf.objGet(path.toString(), 0));
    }

    /** Creates a map as a spec declares it, without BTF (the spec's name, cut to what the kernel takes). */
    public static KernelMap create(MapSpec spec) {
        Fd fd = Bpf.mapCreate(MapCreate.of(spec.type().id(), spec.keySize(), spec.valueSize(), spec.maxEntries(),
                spec.flags()).withName(spec.name()));
        try {
            return new KernelMap(fd, Bpf.mapInfo(fd.get()), spec);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    // ---- identity

    /** The descriptor, for {@code bpf_attr}s (e.g. attaching, or a map-in-map update). */
    public Fd fd() {
        return fd;
    }

    /** What the kernel said about the map when it was opened. */
    public MapInfo info() {
        return info;
    }

    /** The spec it was created from, when it came from an object. */
    public Optional<MapSpec> spec() {
        return Optional.ofNullable(spec);
    }

    /** The spec's name when there is one, else the kernel's (at most 15 characters). */
    public String name() {
        return spec != null ? spec.name() : info.name();
    }

    /** The name the kernel keeps. */
    public String kernelName() {
        return info.name();
    }

    public int id() {
        return info.id();
    }

    /** The type, or null for a type bpf4j does not know. */
    public MapType type() {
        return info.mapType();
    }

    public int keySize() {
        return info.keySize();
    }

    public int valueSize() {
        return info.valueSize();
    }

    public int maxEntries() {
        return info.maxEntries();
    }

    public int flags() {
        return info.flags();
    }

    public boolean isPerCpu() {
        return info.isPerCpu();
    }

    /** Number of value slots per key: the possible CPUs for per-CPU maps, else 1. */
    public int cpus() {
        return cpus;
    }

    /** Bytes of a value as the syscall carries it ({@code round_up(value_size, 8) * cpus} for per-CPU maps). */
    public int valueBytes() {
        return isPerCpu() ? roundUp8(valueSize()) * cpus : valueSize();
    }

    /** Whether user space may no longer write it ({@code frozen} in fdinfo). */
    public boolean frozen() {
        return FdInfo.of(fd.get()).number("frozen").orElse(0) != 0;
    }

    static int roundUp8(int n) {
        return (n + 7) & ~7;
    }

    @Override
    public String toString() {
        return info.typeName() + " map '" + name() + "' (id " + id() + ", key " + keySize() + "B, value "
                + valueSize() + "B, max_entries " + maxEntries() + ")";
    }

    // ---- elements

    private void checkKey(BpfCommand cmd, byte[] key) {
        if (key == null || key.length != keySize()) {
            throw new BpfSyscallException(cmd.name(), Errno.EINVAL, "map '" + name() + "'", null, "key of "
                    + (key == null ? "no" : key.length) + " bytes, the map's key_size is " + keySize());
        }
    }

    private void checkValue(BpfCommand cmd, byte[] value, int expected) {
        if (value == null || value.length != expected) {
            throw new BpfSyscallException(cmd.name(), Errno.EINVAL, "map '" + name() + "'", null, "value of "
                    + (value == null ? "no" : value.length) + " bytes, expected " + expected
                    + (isPerCpu() ? " (" + cpus + " CPUs x " + roundUp8(valueSize()) + " bytes)" : ""));
        }
    }

    private BpfSyscallException named(BpfSyscallException e) {
        return new BpfSyscallException(e.command(), e.errno(), "map '" + name() + "', id " + id(), e.log());
    }

    /** {@code BPF_MAP_LOOKUP_ELEM}: the value (per-CPU maps: every CPU's, in the syscall's layout), or empty. */
    public Optional<byte[]> lookup(byte[] key) {
        return lookup(key, 0);
    }

    /** {@code BPF_MAP_LOOKUP_ELEM} with flags ({@code BPF_F_LOCK}). */
    public Optional<byte[]> lookup(byte[] key, long flags) {
        checkKey(BpfCommand.BPF_MAP_LOOKUP_ELEM, key);
        try {
            return Bpf.mapLookup(fd.get(), key, valueBytes(), flags);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** The value as one array per CPU, each {@code value_size} bytes (a single array for other maps). */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        return lookup(key).map(this::split);
    }

    /** Splits a syscall-layout value into one {@code value_size} array per CPU. */
    public List<byte[]> split(byte[] all) {
        if (!isPerCpu()) {
            return List.of(all);
        }
        int stride = roundUp8(valueSize());
        List<byte[]> out = new ArrayList<>(cpus);
        for (int c = 0; c < cpus; c++) {
            out.add(Arrays.copyOfRange(all, c * stride, c * stride + valueSize()));
        }
        return List.copyOf(out);
    }

    /** Joins one {@code value_size} array per CPU into the syscall's layout. */
    public byte[] join(List<byte[]> perCpu) {
        if (perCpu.size() != cpus) {
            throw new IllegalArgumentException(perCpu.size() + " values for " + cpus + " CPUs");
        }
        int stride = roundUp8(valueSize());
        byte[] all = new byte[stride * cpus];
        for (int c = 0; c < cpus; c++) {
            byte[] v = perCpu.get(c);
            checkValue(BpfCommand.BPF_MAP_UPDATE_ELEM, v, valueSize());
            System.arraycopy(v, 0, all, c * stride, v.length);
        }
        return all;
    }

    /** {@code BPF_MAP_UPDATE_ELEM} with {@code BPF_ANY}. */
    public void update(byte[] key, byte[] value) {
        update(key, value, Bpf.ANY);
    }

    /** {@code BPF_MAP_UPDATE_ELEM}; flags {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}, {@code BPF_F_LOCK}. */
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(BpfCommand.BPF_MAP_UPDATE_ELEM, key);
        checkValue(BpfCommand.BPF_MAP_UPDATE_ELEM, value, valueBytes());
        try {
            Bpf.mapUpdate(fd.get(), key, value, flags);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** {@code BPF_MAP_DELETE_ELEM}; {@code ENOENT} when the key is absent. */
    public void delete(byte[] key) {
        checkKey(BpfCommand.BPF_MAP_DELETE_ELEM, key);
        try {
            Bpf.mapDelete(fd.get(), key);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}. */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        checkKey(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM, key);
        try {
            return Bpf.mapLookupAndDelete(fd.get(), key, valueBytes(), 0);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}: the key after {@code key}; the first key when {@code key} is null or not in the
     * map; empty after the last.
     */
    public Optional<byte[]> nextKey(byte[] key) {
        if (key != null) {
            checkKey(BpfCommand.BPF_MAP_GET_NEXT_KEY, key);
        }
        try {
            return Bpf.mapNextKey(fd.get(), key, keySize());
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** Every key, in get-next-key order (a key seen twice, as a concurrent update can cause, ends the walk). */
    public List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        byte[] k = null;
        for (long i = 0; i <= (long) maxEntries() * 2 + 1; i++) {
            Optional<byte[]> n = nextKey(k);
            if (n.isEmpty() || !seen.add(Arrays.toString(n.get()))) {
                break;
            }
            k = n.get();
            out.add(k);
        }
        return out;
    }

    /** Push to a queue, stack or bloom filter ({@code BPF_MAP_UPDATE_ELEM} without a key). */
    public void push(byte[] value, long flags) {
        checkValue(BpfCommand.BPF_MAP_UPDATE_ELEM, value, valueSize());
        try {
            Bpf.mapUpdate(fd.get(), null, value, flags);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** Pop from a queue or stack ({@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} without a key). */
    public Optional<byte[]> pop() {
        try {
            return Bpf.mapLookupAndDelete(fd.get(), null, valueSize(), 0);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** Peek at a queue or stack ({@code BPF_MAP_LOOKUP_ELEM} without a key). */
    public Optional<byte[]> peek() {
        try {
            return Bpf.mapLookup(fd.get(), null, valueSize(), 0);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** {@code BPF_MAP_FREEZE}: user space can no longer write it (programs still can, unless read-only for them). */
    public void freeze() {
        try {
            Bpf.mapFreeze(fd.get());
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    // ---- batches

    /** A key and its value (per-CPU maps: the syscall's layout). */
    public record Entry(byte[] key, byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Entry[" + java.util.HexFormat.of().formatHex(key) + " = " + java.util.HexFormat.of().formatHex(value)
                    + "]";
        }
    }

    /** Every element, read with {@code BPF_MAP_LOOKUP_BATCH} in batches of up to {@code batch}. */
    public List<Entry> lookupBatch(int batch) {
        return batched(false, batch);
    }

    /** Every element, read with {@code BPF_MAP_LOOKUP_BATCH}. */
    public List<Entry> lookupBatch() {
        return batched(false, 64);
    }

    /** Every element, read and removed with {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH} (hash maps). */
    public List<Entry> lookupAndDeleteBatch() {
        return batched(true, 64);
    }

    private List<Entry> batched(boolean delete, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size " + batch);
        }
        int tokenSize = roundUp8(Math.max(keySize(), 4));
        List<Entry> out = new ArrayList<>();
        byte[] in = null;
        int max = batch;
        while (true) {
            Bpf.Batch b;
            try {
                b = Bpf.mapLookupBatch(fd.get(), delete, in, tokenSize, max, keySize(), valueBytes(), 0);
            } catch (BpfSyscallException e) {
                if (e.errno() == Errno.ENOSPC && max < (1 << 20)) {
                    max *= 2; // a hash bucket holds more elements than the batch: ask for more at once
                    continue;
                }
                throw named(e);
            }
            for (int i = 0; i < b.count(); i++) {
                out.add(new Entry(Arrays.copyOfRange(b.keys(), i * keySize(), (i + 1) * keySize()),
                        Arrays.copyOfRange(b.values(), i * valueBytes(), (i + 1) * valueBytes())));
            }
            if (b.done()) {
                return out;
            }
            in = b.outBatch();
        }
    }

    /** {@code BPF_MAP_UPDATE_BATCH}: sets every key to its value; returns how many the kernel updated. */
    public int updateBatch(List<byte[]> keys, List<byte[]> values, long flags) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys and " + values.size() + " values");
        }
        byte[] k = new byte[keys.size() * keySize()];
        byte[] v = new byte[values.size() * valueBytes()];
        for (int i = 0; i < keys.size(); i++) {
            checkKey(BpfCommand.BPF_MAP_UPDATE_BATCH, keys.get(i));
            checkValue(BpfCommand.BPF_MAP_UPDATE_BATCH, values.get(i), valueBytes());
            System.arraycopy(keys.get(i), 0, k, i * keySize(), keySize());
            System.arraycopy(values.get(i), 0, v, i * valueBytes(), valueBytes());
        }
        try {
            return Bpf.mapUpdateBatch(fd.get(), k, v, keys.size(), flags);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    /** {@code BPF_MAP_DELETE_BATCH}: removes every key; a missing key fails with ENOENT. */
    public int deleteBatch(List<byte[]> keys) {
        byte[] k = new byte[keys.size() * keySize()];
        for (int i = 0; i < keys.size(); i++) {
            checkKey(BpfCommand.BPF_MAP_DELETE_BATCH, keys.get(i));
            System.arraycopy(keys.get(i), 0, k, i * keySize(), keySize());
        }
        try {
            return Bpf.mapDeleteBatch(fd.get(), k, keys.size(), 0);
        } catch (BpfSyscallException e) {
            throw named(e);
        }
    }

    // ---- pinning

    /** Pins the map at {@code path}, which must lie in a bpf file system (mounted at /sys/fs/bpf if none is). */
    public void pin(Path path) {
        Objects.requireNonNull(path);
        BpfFs.ensureMounted();
        try {
            Bpf.objPin(fd.get(), path.toString());
        } catch (BpfSyscallException e) {
            throw new BpfSyscallException(e.command(), e.errno(), "pinning map '" + name() + "' at " + path, null);
        }
    }

    // ---- dump

    /** What {@code bpftool -j map dump} prints for this map (raw bytes, no BTF formatting), newline included. */
    public String dumpJson() {
        return dumpJson(false);
    }

    /** {@code bpftool -j map dump}, or with {@code pretty} {@code bpftool -p map dump}. */
    public String dumpJson(boolean pretty) {
        Json w = new Json(pretty);
        w.beginArray();
        boolean fdValues = fdValued();
        byte[] k = null;
        Set<String> seen = new HashSet<>();
        while (true) {
            Optional<byte[]> next;
            try {
                next = Bpf.mapNextKey(fd.get(), k, keySize());
            } catch (BpfSyscallException e) {
                break; // maps without keys (queues, stacks, ring buffers): bpftool prints what it has, here nothing
            }
            if (next.isEmpty() || !seen.add(Arrays.toString(next.get()))) {
                break;
            }
            k = next.get();
            int error = 0;
            Optional<byte[]> value = Optional.empty();
            try {
                value = Bpf.mapLookup(fd.get(), k, valueBytes(), 0);
                if (value.isEmpty()) {
                    error = Errno.ENOENT;
                }
            } catch (BpfSyscallException e) {
                error = e.errno();
            }
            if (error == Errno.ENOENT && fdValues) {
                continue; // empty slots of program arrays and maps of maps
            }
            w.beginObject().name("key").hex(k);
            if (error != 0) {
                w.name("value").beginObject().field("error", org.bpf4j.kernel.sys.Native.strerror(error)).endObject();
            } else if (isPerCpu()) {
                w.name("values").beginArray();
                List<byte[]> vs = split(value.get());
                for (int c = 0; c < vs.size(); c++) {
                    w.beginObject().field("cpu", c).name("value").hex(vs.get(c)).endObject();
                }
                w.endArray();
            } else {
                w.name("value").hex(value.get());
            }
            w.endObject();
        }
        w.endArray();
        return w.finish();
    }

    /** Maps whose values are programs or maps. */
    private boolean fdValued() {
        MapType t = type();
        return t == MapType.PROG_ARRAY || t == MapType.ARRAY_OF_MAPS || t == MapType.HASH_OF_MAPS;
    }

    @Override
    public void close() {
        fd.close();
    }
}
