package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several packet threads (each with its own {@link Memory}) and the control plane on the same maps: no lost
 * updates, no torn or lost keys, a consistent table at the end.
 */
@Timeout(60)
class ConcurrencyStressTest {
    private static final int THREADS = 4;

    interface Body {
        void run(int thread, Memory mem) throws Exception;
    }

    private static void inThreads(MapRegistry registry, Body body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    Memory mem = memory(registry);
                    start.await();
                    body.run(id, mem);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed", failure.get());
        }
    }

    @Test
    void arrayAtomicAddsFromEveryThreadAreAllCounted() throws Exception {
        MapRegistry registry = new MapRegistry(THREADS);
        ArrayMap a = registry.create(spec(MapType.ARRAY, 4, 8, 4), ArrayMap.class);
        int iterations = 100_000;
        inThreads(registry, (t, mem) -> {
            long key = onStack(mem, 4, u32(t % 2));
            for (int i = 0; i < iterations; i++) {
                long v = a.lookup(mem, key, t);
                mem.atomic(v, 8, Memory.ATOMIC_ADD, 1);
                mem.atomic(a.address(3, 0), 4, Memory.ATOMIC_ADD, 1);
            }
        });
        assertEquals(2L * iterations, asU64(a.lookup(u32(0)).orElseThrow()));
        assertEquals(2L * iterations, asU64(a.lookup(u32(1)).orElseThrow()));
        assertEquals(THREADS * iterations, asU32(a.lookup(u32(3)).orElseThrow()));
    }

    @Test
    void hashMapUnderInsertDeleteAndSharedCounters() throws Exception {
        MapRegistry registry = new MapRegistry(THREADS);
        HashTableMap h = registry.create(spec(MapType.HASH, 8, 8, 256), HashTableMap.class);
        int iterations = 40_000;
        long[] own = new long[THREADS];
        inThreads(registry, (t, mem) -> {
            Random rnd = new Random(t);
            long key = Memory.stackTop(0) - 8;
            long val = Memory.stackTop(0) - 16;
            for (int i = 0; i < iterations; i++) {
                // a shared counter key all threads create-if-missing and increment
                mem.store64(key, 0xC0FFEEL);
                long v = h.lookup(mem, key, t);
                if (v == 0) {
                    mem.store64(val, 0);
                    long r = h.update(mem, key, val, BpfMap.NOEXIST, t);
                    assertTrue(r == 0 || r == -Errno.EEXIST, "r=" + r);
                    v = h.lookup(mem, key, t);
                }
                assertNotEquals(0, v, "the counter never goes away");
                mem.atomic(v, 8, Memory.ATOMIC_ADD, 1);
                // private keys: insert, check, delete; the value must be what this thread wrote
                long k = (long) t << 32 | rnd.nextInt(40);
                mem.store64(key, k);
                mem.store64(val, k ^ i);
                long r = h.update(mem, key, val, BpfMap.ANY, t);
                if (r == 0) {
                    long got = h.lookup(mem, key, t);
                    assertNotEquals(0, got, "own key vanished");
                    assertEquals(k ^ i, mem.load64(got), "own value changed by someone else");
                    if (rnd.nextBoolean()) {
                        assertEquals(0, h.delete(mem, key));
                        assertEquals(0, h.lookup(mem, key, t));
                    }
                } else {
                    assertEquals(-Errno.E2BIG, r);
                }
                own[t]++;
            }
        });
        assertNull(h.checkInvariants());
        assertEquals((long) THREADS * iterations, asU64(h.lookup(u64(0xC0FFEEL)).orElseThrow()), "no lost increments");
        Set<Long> keys = new HashSet<>();
        for (byte[] k : h.keys()) {
            assertTrue(keys.add(asU64(k)), "a key twice");
            long key = asU64(k);
            if (key != 0xC0FFEEL) {
                assertEquals(key >>> 32, asU64(h.lookup(k).orElseThrow()) >>> 32, "value written with its key");
            }
        }
        assertEquals(h.size(), keys.size());
        int walked = 0;
        byte[] k = null;
        for (var n = h.nextKey(null); n.isPresent(); n = h.nextKey(k)) {
            k = n.get();
            walked++;
        }
        assertEquals(h.size(), walked);
    }

    @Test
    void hashMapWithControlPlaneChurnKeepsItsStructure() throws Exception {
        MapRegistry registry = new MapRegistry(THREADS);
        HashTableMap h = registry.create(spec(MapType.HASH, 4, 4, 64), HashTableMap.class);
        inThreads(registry, (t, mem) -> {
            Random rnd = new Random(100 + t);
            long key = Memory.stackTop(0) - 4;
            long val = Memory.stackTop(0) - 8;
            for (int i = 0; i < 50_000; i++) {
                int k = rnd.nextInt(100);
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        if (t == 0) {
                            try {
                                h.update(u32(k), u32(~k), BpfMap.ANY);
                            } catch (MapException e) {
                                assertEquals(Errno.E2BIG, e.errno());
                            }
                        } else {
                            mem.store32(key, k);
                            mem.store32(val, ~k);
                            long r = h.update(mem, key, val, BpfMap.ANY, t);
                            assertTrue(r == 0 || r == -Errno.E2BIG);
                        }
                    }
                    case 1 -> {
                        mem.store32(key, k);
                        h.delete(mem, key);
                    }
                    default -> {
                        mem.store32(key, k);
                        long v = h.lookup(mem, key, t);
                        if (v != 0) {
                            // as in the kernel, a value read races with copies into it (and with the slot's
                            // reuse after a concurrent delete): only the address is guaranteed
                            mem.load32(v);
                        }
                    }
                }
            }
        });
        assertNull(h.checkInvariants());
        for (byte[] k : h.keys()) {
            assertEquals(~asU32(k), asU32(h.lookup(k).orElseThrow()));
        }
    }

    @Test
    void lruHashNeverHoldsMoreThanMaxAndStaysConsistent() throws Exception {
        MapRegistry registry = new MapRegistry(THREADS);
        HashTableMap h = registry.create(spec(MapType.LRU_HASH, 4, 8, 128), HashTableMap.class);
        inThreads(registry, (t, mem) -> {
            Random rnd = new Random(200 + t);
            long key = Memory.stackTop(0) - 4;
            long val = Memory.stackTop(0) - 16;
            for (int i = 0; i < 50_000; i++) {
                int k = rnd.nextInt(1000);
                mem.store32(key, k);
                if (rnd.nextInt(3) == 0) {
                    mem.store64(val, k);
                    assertEquals(0, h.update(mem, key, val, BpfMap.ANY, t), "LRU updates always succeed");
                } else if (rnd.nextInt(10) == 0) {
                    h.delete(mem, key);
                } else {
                    long v = h.lookup(mem, key, t);
                    if (v != 0) {
                        long got = mem.load64(v);
                        // bytes of values below 1000, possibly mid-copy: below 1024
                        assertTrue(got >= 0 && got < 1024, "value " + got);
                    }
                }
            }
        });
        assertNull(h.checkInvariants());
        assertTrue(h.size() <= 128);
        assertEquals(h.size(), h.lruOrder().size());
        for (byte[] k : h.keys()) {
            assertEquals(asU32(k), asU64(h.lookup(k).orElseThrow()));
        }
    }

    @Test
    void lpmTrieLookupsDuringUpdates() throws Exception {
        MapRegistry registry = new MapRegistry(THREADS);
        LpmTrieMap t = registry.create(spec(MapType.LPM_TRIE, 8, 4, 64, 1), LpmTrieMap.class);
        t.update(LpmTrieMapTest.key("10.0.0.0/8"), u32(8), BpfMap.ANY);
        inThreads(registry, (id, mem) -> {
            Random rnd = new Random(id);
            for (int i = 0; i < 20_000; i++) {
                if (id == 0) {
                    String c = "10." + rnd.nextInt(8) + ".0.0/16";
                    if (rnd.nextBoolean()) {
                        t.update(LpmTrieMapTest.key(c), u32(16), BpfMap.ANY);
                    } else {
                        try {
                            t.delete(LpmTrieMapTest.key(c));
                        } catch (MapException e) {
                            assertEquals(Errno.ENOENT, e.errno());
                        }
                    }
                } else {
                    long v = t.lookup(mem, onStack(mem, 8, LpmTrieMapTest.key("10." + rnd.nextInt(8) + ".1.1/32")), 0);
                    assertNotEquals(0, v, "the /8 always matches");
                    long got = mem.load32(v);
                    assertTrue(got == 8 || got == 16, "got " + got);
                }
            }
        });
        assertNull(t.checkInvariants());
    }
}
