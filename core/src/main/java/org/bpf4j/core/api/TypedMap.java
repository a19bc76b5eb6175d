package org.bpf4j.core.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed view of a map's control plane: keys and values through {@link Codec}s.
 *
 * <pre>{@code
 * TypedMap<Integer, Long> counters = map.typed(Codec.int32(), Codec.int64());
 * counters.put(7, 1L);
 * long n = counters.get(7).orElse(0L);
 * }</pre>
 *
 * @param <K> key type (for queues, stacks and bloom filters, which have no key, anything: it is never used)
 * @param <V> value type
 */
public final class TypedMap<K, V> {
    private final MapView map;
    private final Codec<K> keys;
    private final Codec<V> values;

    public TypedMap(MapView map, Codec<K> keys, Codec<V> values) {
        this.map = Objects.requireNonNull(map);
        this.keys = Objects.requireNonNull(keys);
        this.values = Objects.requireNonNull(values);
        if (map.spec().keySize() != 0 && keys.size() != map.spec().keySize()) {
            throw new IllegalArgumentException("key codec of " + keys.size() + " bytes for a map whose key_size is "
                    + map.spec().keySize());
        }
        if (values.size() != map.spec().valueSize()) {
            throw new IllegalArgumentException("value codec of " + values.size()
                    + " bytes for a map whose value_size is " + map.spec().valueSize());
        }
    }

    public MapView map() {
        return map;
    }

    /** The value (per-CPU maps: CPU 0's; see {@link #getPerCpu}). */
    public Optional<V> get(K key) {
        if (map.isPerCpu()) {
            return map.lookupPerCpu(keys.encode(key)).map(l -> values.decode(l.getFirst()));
        }
        return map.lookup(keys.encode(key)).map(values::decode);
    }

    /** Every CPU's value, in CPU order; empty when the key is absent. */
    public List<V> getPerCpu(K key) {
        return map.lookupPerCpu(keys.encode(key)).map(l -> l.stream().map(values::decode).toList()).orElse(List.of());
    }

    /** Creates or updates ({@code BPF_ANY}); per-CPU maps get the value on every CPU. */
    public void put(K key, V value) {
        put(key, value, MapView.ANY);
    }

    /** Updates with {@link MapView#NOEXIST}, {@link MapView#EXIST}, ...; throws {@link MapException}. */
    public void put(K key, V value, long flags) {
        map.update(keys.encode(key), values.encode(value), flags);
    }

    /** Sets one value per CPU (a list of {@link MapView#cpus()} values). */
    public void putPerCpu(K key, List<V> perCpu, long flags) {
        if (perCpu.size() != map.cpus()) {
            throw new IllegalArgumentException(perCpu.size() + " values for " + map.cpus() + " CPUs");
        }
        int stride = (map.spec().valueSize() + 7) & ~7;
        byte[] all = new byte[stride * map.cpus()];
        for (int c = 0; c < perCpu.size(); c++) {
            values.encode(perCpu.get(c), all, c * stride);
        }
        map.update(keys.encode(key), all, flags);
    }

    /** Deletes; false when the key was absent. */
    public boolean remove(K key) {
        try {
            map.delete(keys.encode(key));
            return true;
        } catch (MapException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** The key after {@code key} (the first for null), kernel get-next-key semantics. */
    public Optional<K> nextKey(K key) {
        return map.nextKey(key == null ? null : keys.encode(key)).map(keys::decode);
    }

    public List<K> keys() {
        List<K> out = new ArrayList<>();
        for (byte[] k : map.keys()) {
            out.add(keys.decode(k));
        }
        return out;
    }

    /** Key to value (per-CPU maps: CPU 0's), in key order. */
    public Map<K, V> snapshot() {
        Map<K, V> out = new LinkedHashMap<>();
        for (byte[] k : map.keys()) {
            map.lookupPerCpu(k).ifPresent(v -> out.put(keys.decode(k), values.decode(v.getFirst())));
        }
        return out;
    }

    public void push(V value) {
        map.push(values.encode(value), MapView.ANY);
    }

    public void push(V value, long flags) {
        map.push(values.encode(value), flags);
    }

    public Optional<V> pop() {
        return map.pop().map(values::decode);
    }

    public Optional<V> peek() {
        return map.peek().map(values::decode);
    }
}
