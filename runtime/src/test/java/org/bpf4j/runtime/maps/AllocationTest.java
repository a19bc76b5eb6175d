package org.bpf4j.runtime.maps;

import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Program-side lookups of arrays and hash maps (and redirect targets) allocate nothing. */
class AllocationTest {
    private static long allocatedBytes() {
        var bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        return ((com.sun.management.ThreadMXBean) bean).getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    private static long allocationsOf(Runnable r) {
        r.run(); // warm up, link call sites
        long before = allocatedBytes();
        r.run();
        return allocatedBytes() - before;
    }

    @Test
    void lookupsDoNotAllocate() {
        MapRegistry registry = new MapRegistry(2);
        ArrayMap array = registry.create(spec(MapType.ARRAY, 4, 8, 64), ArrayMap.class);
        HashTableMap hash = registry.create(spec(MapType.HASH, 12, 8, 64), HashTableMap.class);
        HashTableMap percpu = registry.create(spec(MapType.PERCPU_HASH, 4, 8, 64), HashTableMap.class);
        HashTableMap lru = registry.create(spec(MapType.LRU_HASH, 4, 8, 64), HashTableMap.class);
        RedirectMap devs = registry.create(spec(MapType.DEVMAP_HASH, 4, 4, 8), RedirectMap.class);
        LpmTrieMap trie = registry.create(spec(MapType.LPM_TRIE, 8, 4, 8, 1), LpmTrieMap.class);
        for (int i = 0; i < 32; i++) {
            hash.update(of(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), u64(i), BpfMap.ANY);
            percpu.update(u32(i), u64(i), BpfMap.ANY);
            lru.update(u32(i), u64(i), BpfMap.ANY);
        }
        devs.update(u32(3), u32(30), BpfMap.ANY);
        trie.update(LpmTrieMapTest.key("10.0.0.0/8"), u32(1), BpfMap.ANY);
        Memory mem = memory(registry);
        long k4 = onStack(mem, 4, u32(5));
        long k12 = onStack(mem, 16, of(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        long miss = onStack(mem, 32, of(99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        long ip = onStack(mem, 48, LpmTrieMapTest.key("10.1.2.3/32"));
        long[] sink = new long[1];
        long bytes = allocationsOf(() -> {
            for (int i = 0; i < 200_000; i++) {
                sink[0] += array.lookup(mem, k4, 0);
                sink[0] += hash.lookup(mem, k12, 0);
                sink[0] += hash.lookup(mem, miss, 0);
                sink[0] += percpu.lookup(mem, k4, 1);
                sink[0] += lru.lookup(mem, k4, 0);
                sink[0] += devs.redirectTarget(3);
                sink[0] += trie.lookup(mem, ip, 0);
            }
        });
        assertTrue(bytes < 4096, bytes + " bytes allocated by 1.4 million lookups");
        assertNotEquals(0, sink[0]);
    }
}
