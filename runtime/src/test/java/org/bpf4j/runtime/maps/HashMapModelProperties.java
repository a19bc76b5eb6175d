package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;

/** Hash maps behave like a bounded {@link java.util.HashMap} with the kernel's flags and errors. */
class HashMapModelProperties {
    private static final int MAX = 8;

    sealed interface Op {}

    record Update(int key, long value, long flags, boolean fromProgram) implements Op {}

    record Delete(int key, boolean fromProgram) implements Op {}

    record Lookup(int key, boolean fromProgram) implements Op {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, 15);
        Arbitrary<Boolean> side = Arbitraries.of(true, false);
        Arbitrary<Op> update = Combinators.combine(keys, Arbitraries.longs(), Arbitraries.of(0L, 1L, 2L, 4L, 3L), side)
                .as(Update::new);
        Arbitrary<Op> delete = Combinators.combine(keys, side).as(Delete::new);
        Arbitrary<Op> lookup = Combinators.combine(keys, side).as(Lookup::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, update), net.jqwik.api.Tuple.of(2, delete), net.jqwik.api.Tuple.of(3, lookup))
                .list().ofMinSize(1).ofMaxSize(80);
    }

    private static long expectedUpdate(Map<Integer, Long> model, Update u, boolean lru) {
        long base = u.flags() & ~BpfMap.F_LOCK;
        if (base > BpfMap.EXIST) {
            return -Errno.EINVAL;
        }
        boolean exists = model.containsKey(u.key());
        if (base == BpfMap.NOEXIST && exists) {
            return -Errno.EEXIST;
        }
        if (base == BpfMap.EXIST && !exists) {
            return -Errno.ENOENT;
        }
        if (!exists && model.size() == MAX) {
            if (!lru) {
                return -Errno.E2BIG;
            }
            model.remove(model.keySet().iterator().next());
        }
        model.put(u.key(), u.value());
        return 0;
    }

    private static void run(List<Op> ops, MapType type, Map<Integer, Long> model) {
        MapRegistry registry = new MapRegistry(1);
        HashTableMap map = registry.create(spec(type, 4, 8, MAX), HashTableMap.class);
        Memory mem = memory(registry);
        boolean lru = type == MapType.LRU_HASH;
        for (Op op : ops) {
            switch (op) {
                case Update u -> {
                    long expected = expectedUpdate(model, u, lru);
                    long got;
                    if (u.fromProgram()) {
                        got = map.update(mem, onStack(mem, 4, u32(u.key())), onStack(mem, 16, u64(u.value())), u.flags(), 0);
                    } else {
                        try {
                            map.update(u32(u.key()), u64(u.value()), u.flags());
                            got = 0;
                        } catch (MapException e) {
                            got = -e.errno();
                        }
                    }
                    assertEquals(expected, got, op.toString());
                }
                case Delete d -> {
                    long expected = model.remove(d.key()) == null ? -Errno.ENOENT : 0;
                    long got;
                    if (d.fromProgram()) {
                        got = map.delete(mem, onStack(mem, 4, u32(d.key())));
                    } else {
                        try {
                            map.delete(u32(d.key()));
                            got = 0;
                        } catch (MapException e) {
                            got = -e.errno();
                        }
                    }
                    assertEquals(expected, got, op.toString());
                }
                case Lookup l -> {
                    Long expected = l.fromProgram() ? model.get(l.key()) : peek(model, l.key());
                    if (l.fromProgram()) {
                        long v = map.lookup(mem, onStack(mem, 4, u32(l.key())), 0);
                        assertEquals(expected == null, v == 0, op.toString());
                        if (v != 0) {
                            assertEquals(expected, mem.load64(v));
                        }
                    } else {
                        assertEquals(expected, map.lookup(u32(l.key())).map(Bytes::asU64).orElse(null), op.toString());
                    }
                }
            }
            assertEquals(model.size(), map.size());
        }
        // get-next-key visits every key exactly once
        Set<Integer> walked = new HashSet<>();
        byte[] k = null;
        for (var n = map.nextKey(null); n.isPresent(); n = map.nextKey(k)) {
            k = n.get();
            assertTrue(walked.add(asU32(k)));
            assertEquals(peek(model, asU32(k)), asU64(map.lookup(k).orElseThrow()));
        }
        assertEquals(model.keySet(), walked);
        assertNull(map.checkInvariants());
        if (lru) {
            assertEquals(List.copyOf(model.keySet()), map.lruOrder().stream().map(Bytes::asU32).toList());
        }
    }

    // A control-plane lookup does not touch the recency order.
    private static Long peek(Map<Integer, Long> model, int key) {
        for (var e : model.entrySet()) {
            if (e.getKey() == key) {
                return e.getValue();
            }
        }
        return null;
    }

    @Property(tries = 300)
    void hashMapMatchesABoundedHashMap(@ForAll("ops") List<Op> ops) {
        run(ops, MapType.HASH, new HashMap<>());
    }

    @Property(tries = 300)
    void lruHashMatchesAnAccessOrderedMap(@ForAll("ops") List<Op> ops) {
        run(ops, MapType.LRU_HASH, new LinkedHashMap<>(16, 0.75f, true));
    }
}
