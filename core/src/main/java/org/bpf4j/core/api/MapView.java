package org.bpf4j.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bpf4j.core.object.MapSpec;

/**
 * A map's control plane, the same on every backend: the user-space maps and the kernel's. Keys and values are
 * the bytes programs see; failures are {@link MapException}s carrying the kernel's errno.
 *
 * <pre>{@code
 * MapView counters = collection.map("counters").orElseThrow();
 * TypedMap<Integer, Long> typed = counters.typed(Codec.int32(), Codec.int64());
 * }</pre>
 */
public interface MapView {
    /** Update flags, as {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}, {@code BPF_F_LOCK}. */
    long ANY = 0, NOEXIST = 1, EXIST = 2, F_LOCK = 4;

    String name();

    MapSpec spec();

    /** True when every key has one value per CPU. */
    boolean isPerCpu();

    /** Number of values per key of a per-CPU map. */
    int cpus();

    Optional<byte[]> lookup(byte[] key);

    /** One value per CPU, for per-CPU maps. */
    Optional<List<byte[]>> lookupPerCpu(byte[] key);

    void update(byte[] key, byte[] value, long flags);

    default void update(byte[] key, byte[] value) {
        update(key, value, ANY);
    }

    void delete(byte[] key);

    /** The key after {@code key}; the first key when {@code key} is null or absent. */
    Optional<byte[]> nextKey(byte[] key);

    /** Every key, in get-next-key order. */
    default List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (Optional<byte[]> k = nextKey(null); k.isPresent(); k = nextKey(k.get())) {
            keys.add(k.get());
            if (keys.size() > spec().maxEntries()) {
                break; // a concurrent writer keeps the walk from ending; the kernel's tools stop too
            }
        }
        return keys;
    }

    /** Queues, stacks and bloom filters. */
    void push(byte[] value, long flags);

    Optional<byte[]> pop();

    Optional<byte[]> peek();

    /** The contents as {@code bpftool map dump -j} (or {@code -p}) prints them. */
    String dumpJson(boolean pretty);

    default <K, V> TypedMap<K, V> typed(Codec<K> keys, Codec<V> values) {
        return new TypedMap<>(this, keys, values);
    }
}
