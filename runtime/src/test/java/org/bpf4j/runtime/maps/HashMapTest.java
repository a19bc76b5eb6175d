package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class HashMapTest {
    private final MapRegistry registry = new MapRegistry(2);

    private HashTableMap hash(int max) {
        return registry.create(spec(MapType.HASH, 4, 8, max), HashTableMap.class);
    }

    @Test
    void missingKeyIsNullAndEnoent() {
        HashTableMap h = hash(4);
        Memory mem = memory(registry);
        assertEquals(0, h.lookup(mem, onStack(mem, 4, u32(1)), 0));
        assertTrue(h.lookup(u32(1)).isEmpty());
        assertEquals(-Errno.ENOENT, h.delete(mem, onStack(mem, 4, u32(1))));
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> h.delete(u32(1))).errno());
    }

    @Test
    void fullMapRefusesNewKeysWithE2bigButUpdatesExistingOnes() {
        HashTableMap h = hash(3);
        for (int i = 0; i < 3; i++) {
            h.update(u32(i), u64(i), BpfMap.NOEXIST);
        }
        var e = assertThrows(MapException.class, () -> h.update(u32(3), u64(3), BpfMap.ANY));
        assertEquals(Errno.E2BIG, e.errno());
        Memory mem = memory(registry);
        assertEquals(-Errno.E2BIG, h.update(mem, onStack(mem, 4, u32(3)), onStack(mem, 16, u64(3)), BpfMap.ANY, 0));
        h.update(u32(1), u64(100), BpfMap.ANY);
        h.update(u32(2), u64(200), BpfMap.EXIST);
        assertEquals(100, asU64(h.lookup(u32(1)).orElseThrow()));
        assertEquals(200, asU64(h.lookup(u32(2)).orElseThrow()));
        h.delete(u32(0));
        h.update(u32(3), u64(3), BpfMap.NOEXIST);
        assertEquals(3, h.size());
        assertNull(h.checkInvariants());
    }

    @Test
    void noexistOnExistingKeyIsEexist() {
        HashTableMap h = hash(4);
        h.update(u32(1), u64(1), BpfMap.NOEXIST);
        assertEquals(Errno.EEXIST, assertThrows(MapException.class, () -> h.update(u32(1), u64(2), BpfMap.NOEXIST))
                .errno());
        Memory mem = memory(registry);
        assertEquals(-Errno.EEXIST, h.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 16, u64(2)), BpfMap.NOEXIST, 0));
        assertEquals(1, asU64(h.lookup(u32(1)).orElseThrow()));
    }

    @Test
    void existOnMissingKeyIsEnoent() {
        HashTableMap h = hash(4);
        var e = assertThrows(MapException.class, () -> h.update(u32(1), u64(2), BpfMap.EXIST));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("update: no such key (ENOENT)", e.getMessage());
        Memory mem = memory(registry);
        assertEquals(-Errno.ENOENT, h.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 16, u64(2)), BpfMap.EXIST, 0));
        assertEquals(0, h.size());
    }

    @Test
    void flagsBeyondExistAreEinvalButLockIsAccepted() {
        HashTableMap h = hash(4);
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> h.update(u32(1), u64(2), 3)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> h.update(u32(1), u64(2), 16)).errno());
        h.update(u32(1), u64(2), BpfMap.F_LOCK);
        h.update(u32(1), u64(3), BpfMap.F_LOCK | BpfMap.EXIST);
        assertEquals(3, asU64(h.lookup(u32(1)).orElseThrow()));
    }

    @Test
    void valueAddressIsStableAcrossUpdatesAndVisibleInEveryThreadsMemory() {
        HashTableMap h = hash(4);
        h.update(u32(7), u64(1), BpfMap.ANY);
        Memory a = memory(registry);
        Memory b = memory(registry);
        long va = h.lookup(a, onStack(a, 4, u32(7)), 0);
        long vb = h.lookup(b, onStack(b, 4, u32(7)), 0);
        assertEquals(va, vb, "the same address in every thread");
        h.update(u32(7), u64(2), BpfMap.ANY);
        assertEquals(2, a.load64(va), "an update copies in place");
        b.store64(vb, 3);
        assertEquals(3, asU64(h.lookup(u32(7)).orElseThrow()));
        assertEquals(va, h.lookup(a, onStack(a, 4, u32(7)), 0));
        for (int i = 0; i < 3; i++) {
            h.update(u32(100 + i), u64(i), BpfMap.ANY);
        }
        assertEquals(va, h.lookup(a, onStack(a, 4, u32(7)), 0), "other inserts do not move it");
    }

    @Test
    void deletedSlotIsReused() {
        HashTableMap h = hash(1);
        Memory mem = memory(registry);
        h.update(u32(1), u64(1), BpfMap.ANY);
        long v1 = h.lookup(mem, onStack(mem, 4, u32(1)), 0);
        h.delete(u32(1));
        h.update(u32(2), u64(2), BpfMap.ANY);
        assertEquals(v1, h.lookup(mem, onStack(mem, 4, u32(2)), 0));
    }

    @Test
    void keysWithOddSizesAndPrograms() {
        HashTableMap h = registry.create(spec(MapType.HASH, 13, 3, 8), HashTableMap.class);
        Memory mem = memory(registry);
        byte[] key = of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        assertEquals(0, h.update(mem, onStack(mem, 32, key), onStack(mem, 8, of(7, 8, 9)), BpfMap.ANY, 0));
        long v = h.lookup(mem, onStack(mem, 64, key), 0);
        assertArrayEquals(of(7, 8, 9), read(mem, v, 3));
        assertEquals(0, v & 7);
        key[12] = 0;
        assertEquals(0, h.lookup(mem, onStack(mem, 64, key), 0));
        assertThrows(BpfFault.class, () -> h.lookup(mem, Memory.stackTop(0) - 12, 0), "13-byte key past the frame");
    }

    @Test
    void getNextKeyVisitsEveryKeyExactlyOnce() {
        HashTableMap h = hash(64);
        for (int i = 0; i < 50; i++) {
            h.update(u32(i * 7919), u64(i), BpfMap.ANY);
        }
        Set<Integer> seen = new HashSet<>();
        byte[] k = null;
        for (var n = h.nextKey(null); n.isPresent(); n = h.nextKey(k)) {
            k = n.get();
            assertTrue(seen.add(asU32(k)), "visited twice: " + asU32(k));
        }
        assertEquals(50, seen.size());
        for (int i = 0; i < 50; i++) {
            assertTrue(seen.contains(i * 7919));
        }
    }

    @Test
    void getNextKeyOfAMissingKeyIsTheFirstKey() {
        HashTableMap h = hash(8);
        assertTrue(h.nextKey(null).isEmpty());
        h.update(u32(1), u64(1), BpfMap.ANY);
        h.update(u32(2), u64(2), BpfMap.ANY);
        byte[] first = h.nextKey(null).orElseThrow();
        assertArrayEquals(first, h.nextKey(u32(99)).orElseThrow());
    }

    @Test
    void iterationWithDeletesAsBpftoolDoes() {
        HashTableMap h = hash(32);
        for (int i = 0; i < 20; i++) {
            h.update(u32(i), u64(i), BpfMap.ANY);
        }
        // delete every key while walking: get the next key before deleting the current one
        byte[] k = h.nextKey(null).orElse(null);
        int deleted = 0;
        while (k != null) {
            byte[] next = h.nextKey(k).orElse(null);
            h.delete(k);
            deleted++;
            k = next;
        }
        assertEquals(20, deleted);
        assertEquals(0, h.size());
        assertNull(h.checkInvariants());
    }

    @Test
    void lookupAndDeleteReturnsTheValue() {
        HashTableMap h = hash(4);
        h.update(u32(1), u64(41), BpfMap.ANY);
        assertEquals(41, asU64(h.lookupAndDelete(u32(1)).orElseThrow()));
        assertTrue(h.lookup(u32(1)).isEmpty());
        assertTrue(h.lookupAndDelete(u32(1)).isEmpty());
    }

    @Test
    void perCpuHashIsolatesCpusAndZeroesOtherCopiesOfANewElement() {
        HashTableMap h = registry.create(spec(MapType.PERCPU_HASH, 4, 4, 4), HashTableMap.class);
        Memory mem = memory(registry);
        long key = onStack(mem, 4, u32(1));
        assertEquals(0, h.update(mem, key, onStack(mem, 16, u32(10)), BpfMap.ANY, 1));
        assertEquals(List.of(0, 10), h.lookupPerCpu(u32(1)).orElseThrow().stream().map(Bytes::asU32).toList());
        long c0 = h.lookup(mem, key, 0);
        long c1 = h.lookup(mem, key, 1);
        assertEquals(8, c1 - c0);
        mem.atomic(c0, 4, Memory.ATOMIC_ADD, 5);
        assertEquals(0, h.update(mem, key, onStack(mem, 16, u32(11)), BpfMap.EXIST, 1));
        assertEquals(List.of(5, 11), h.lookupPerCpu(u32(1)).orElseThrow().stream().map(Bytes::asU32).toList());
        assertEquals(0, h.lookup(mem, key, 2));
        assertEquals(-Errno.EINVAL, h.update(mem, key, onStack(mem, 16, u32(1)), BpfMap.F_LOCK, 0));
        h.update(u32(2), u32(3), BpfMap.ANY);
        assertEquals(List.of(3, 3), h.lookupPerCpu(u32(2)).orElseThrow().stream().map(Bytes::asU32).toList());
    }

    @Test
    void forEachMayDeleteTheVisitedElement() {
        HashTableMap h = hash(16);
        for (int i = 0; i < 10; i++) {
            h.update(u32(i), u64(i * 10), BpfMap.ANY);
        }
        Memory mem = memory(registry);
        List<Long> values = new ArrayList<>();
        long n = h.forEach(mem, 0, (k, v) -> {
            values.add(mem.load64(v));
            if (mem.load32(k) % 2 == 0) {
                assertEquals(0, h.delete(mem, k));
            }
            return 0;
        });
        assertEquals(10, n);
        assertEquals(10, values.size());
        assertEquals(5, h.size());
        assertNull(h.checkInvariants());
        assertEquals(1, h.forEach(mem, 0, (k, v) -> 1));
    }

    @Test
    void readOnlyForProgramsMapsRefuseProgramWritesButNotTheControlPlane() {
        HashTableMap h = registry.create(spec(MapType.HASH, 4, 8, 4, org.bpf4j.core.object.MapSpec.F_RDONLY_PROG),
                HashTableMap.class);
        h.update(u32(1), u64(1), BpfMap.ANY);
        Memory mem = memory(registry);
        long key = onStack(mem, 4, u32(1));
        assertEquals(-Errno.EINVAL, h.update(mem, key, onStack(mem, 16, u64(2)), BpfMap.ANY, 0));
        assertEquals(-Errno.EINVAL, h.delete(mem, key));
        long v = h.lookup(mem, key, 0);
        assertEquals(1, mem.load64(v));
        assertEquals(BpfFault.Kind.READ_ONLY, assertThrows(BpfFault.class, () -> mem.store64(v, 2)).kind());
    }

    @Test
    void creationChecksTheDeclaration() {
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> hash(0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> registry.create(spec(MapType.HASH, 0, 8, 1))).errno());
        HashTableMap noPrealloc = registry.create(spec(MapType.HASH, 4, 8, 4, 1), HashTableMap.class);
        noPrealloc.update(u32(1), u64(1), BpfMap.ANY);
        assertEquals(1, noPrealloc.size());
    }
}
