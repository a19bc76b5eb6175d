package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class LruHashMapTest {
    private final MapRegistry registry = new MapRegistry(2);

    private HashTableMap lru(int max) {
        return registry.create(spec(MapType.LRU_HASH, 4, 8, max), HashTableMap.class);
    }

    private static List<Integer> order(HashTableMap m) {
        return m.lruOrder().stream().map(Bytes::asU32).toList();
    }

    @Test
    void fullMapEvictsTheLeastRecentlyUsedInsteadOfE2big() {
        HashTableMap m = lru(3);
        m.update(u32(1), u64(1), BpfMap.ANY);
        m.update(u32(2), u64(2), BpfMap.ANY);
        m.update(u32(3), u64(3), BpfMap.ANY);
        m.update(u32(4), u64(4), BpfMap.ANY);
        assertTrue(m.lookup(u32(1)).isEmpty(), "1 was least recently used");
        assertEquals(List.of(2, 3, 4), order(m));
        m.update(u32(5), u64(5), BpfMap.NOEXIST);
        assertTrue(m.lookup(u32(2)).isEmpty());
        assertEquals(3, m.size());
        assertNull(m.checkInvariants());
    }

    @Test
    void programLookupsMakeAnElementMostRecent() {
        HashTableMap m = lru(3);
        for (int i = 1; i <= 3; i++) {
            m.update(u32(i), u64(i), BpfMap.ANY);
        }
        Memory mem = memory(registry);
        assertNotEquals(0, m.lookup(mem, onStack(mem, 4, u32(1)), 0));
        assertEquals(List.of(2, 3, 1), order(m));
        m.update(u32(4), u64(4), BpfMap.ANY);
        assertTrue(m.lookup(u32(2)).isEmpty(), "2 is now the least recent and goes");
        assertTrue(m.lookup(u32(1)).isPresent());
    }

    @Test
    void controlPlaneLookupsDoNotChangeTheOrder() {
        HashTableMap m = lru(3);
        for (int i = 1; i <= 3; i++) {
            m.update(u32(i), u64(i), BpfMap.ANY);
        }
        m.lookup(u32(1));
        assertEquals(List.of(1, 2, 3), order(m));
    }

    @Test
    void updatesMakeAnElementMostRecent() {
        HashTableMap m = lru(3);
        for (int i = 1; i <= 3; i++) {
            m.update(u32(i), u64(i), BpfMap.ANY);
        }
        m.update(u32(1), u64(10), BpfMap.EXIST);
        assertEquals(List.of(2, 3, 1), order(m));
        m.update(u32(9), u64(9), BpfMap.ANY);
        assertEquals(List.of(3, 1, 9), order(m));
    }

    @Test
    void flagsStillApply() {
        HashTableMap m = lru(2);
        m.update(u32(1), u64(1), BpfMap.ANY);
        assertEquals(Errno.EEXIST, assertThrows(MapException.class, () -> m.update(u32(1), u64(1), BpfMap.NOEXIST))
                .errno());
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> m.update(u32(2), u64(1), BpfMap.EXIST))
                .errno());
    }

    @Test
    void deleteRemovesFromTheRecencyList() {
        HashTableMap m = lru(3);
        for (int i = 1; i <= 3; i++) {
            m.update(u32(i), u64(i), BpfMap.ANY);
        }
        m.delete(u32(2));
        assertEquals(List.of(1, 3), order(m));
        m.update(u32(4), u64(4), BpfMap.ANY);
        assertEquals(List.of(1, 3, 4), order(m), "a free slot is used before evicting");
        assertNull(m.checkInvariants());
    }

    @Test
    void evictionOrderOverManyOperationsMatchesAnExactLruModel() {
        HashTableMap m = lru(8);
        Memory mem = memory(registry);
        java.util.LinkedHashMap<Integer, Long> model = new java.util.LinkedHashMap<>(16, 0.75f, true);
        java.util.Random rnd = new java.util.Random(42);
        for (int step = 0; step < 5000; step++) {
            int k = rnd.nextInt(20);
            if (rnd.nextBoolean()) {
                m.update(u32(k), u64(step), BpfMap.ANY);
                model.put(k, (long) step);
                if (model.size() > 8) {
                    model.remove(model.keySet().iterator().next());
                }
            } else {
                long v = m.lookup(mem, onStack(mem, 4, u32(k)), 0);
                Long expected = model.get(k);
                assertEquals(expected == null, v == 0, "step " + step);
                if (expected != null) {
                    assertEquals(expected, mem.load64(v));
                }
            }
            assertEquals(List.copyOf(model.keySet()), order(m), "step " + step);
        }
    }

    @Test
    void lruPerCpuHashEvictsAndKeepsCopiesPerCpu() {
        HashTableMap m = registry.create(spec(MapType.LRU_PERCPU_HASH, 4, 4, 2), HashTableMap.class);
        Memory mem = memory(registry);
        assertEquals(0, m.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 16, u32(11)), BpfMap.ANY, 1));
        m.update(u32(2), u32(2), BpfMap.ANY);
        m.lookup(mem, onStack(mem, 4, u32(1)), 0);
        m.update(u32(3), u32(3), BpfMap.ANY);
        assertTrue(m.lookup(u32(2)).isEmpty());
        assertEquals(List.of(0, 11), m.lookupPerCpu(u32(1)).orElseThrow().stream().map(Bytes::asU32).toList());
    }
}
