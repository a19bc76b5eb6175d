package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class ArrayMapTest {
    private final MapRegistry registry = new MapRegistry(2);

    private ArrayMap array(int value, int max) {
        return registry.create(spec(MapType.ARRAY, 4, value, max), ArrayMap.class);
    }

    @Test
    void everyIndexExistsAndStartsZeroed() {
        ArrayMap a = array(8, 4);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(new byte[8], a.lookup(u32(i)).orElseThrow());
        }
        assertEquals(4, a.size());
    }

    @Test
    void lookupBeyondMaxEntriesIsNullAndEnoent() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        assertEquals(0, a.lookup(mem, onStack(mem, 4, u32(4)), 0));
        assertEquals(0, a.lookup(mem, onStack(mem, 4, u32(-1)), 0));
        assertTrue(a.lookup(u32(4)).isEmpty());
    }

    @Test
    void updateBeyondMaxEntriesIsE2big() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        assertEquals(-Errno.E2BIG, a.update(mem, onStack(mem, 4, u32(4)), onStack(mem, 16, u64(1)), BpfMap.ANY, 0));
        var e = assertThrows(MapException.class, () -> a.update(u32(9), u64(1), BpfMap.ANY));
        assertEquals(Errno.E2BIG, e.errno());
    }

    @Test
    void noexistIsEexistBecauseEveryElementExists() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        assertEquals(-Errno.EEXIST, a.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 16, u64(1)), BpfMap.NOEXIST, 0));
        var e = assertThrows(MapException.class, () -> a.update(u32(1), u64(1), BpfMap.NOEXIST));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("update: key exists (EEXIST)", e.getMessage());
    }

    @Test
    void anyAndExistUpdate() {
        ArrayMap a = array(8, 4);
        a.update(u32(1), u64(11), BpfMap.ANY);
        assertEquals(11, asU64(a.lookup(u32(1)).orElseThrow()));
        a.update(u32(1), u64(12), BpfMap.EXIST);
        assertEquals(12, asU64(a.lookup(u32(1)).orElseThrow()));
        a.update(u32(2), u64(13), BpfMap.EXIST | BpfMap.F_LOCK);
        assertEquals(13, asU64(a.lookup(u32(2), BpfMap.F_LOCK).orElseThrow()));
    }

    @Test
    void unknownFlagsAreEinval() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        assertEquals(-Errno.EINVAL, a.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 16, u64(1)), 3, 0));
        assertEquals(-Errno.EINVAL, a.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 16, u64(1)), 8, 0));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> a.update(u32(1), u64(1), 3)).errno());
    }

    @Test
    void deleteIsEinval() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        assertEquals(-Errno.EINVAL, a.delete(mem, onStack(mem, 4, u32(0))));
        var e = assertThrows(MapException.class, () -> a.delete(u32(0)));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void valueAddressIsStableAndSeesLaterUpdates() {
        ArrayMap a = array(12, 4);
        Memory mem = memory(registry);
        long key = onStack(mem, 4, u32(3));
        long v = a.lookup(mem, key, 0);
        assertNotEquals(0, v);
        assertEquals(0, v & 7, "values are 8-byte aligned");
        a.update(u32(3), of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), BpfMap.ANY);
        assertArrayEquals(of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), read(mem, v, 12));
        mem.store32(v, 0xdeadbeefL);
        assertEquals(0xdeadbeef, asU32(a.lookup(u32(3)).orElseThrow()));
        assertEquals(v, a.lookup(mem, key, 1), "non-per-CPU arrays ignore the CPU");
        assertEquals(v, a.address(3, 0));
    }

    @Test
    void valuesAreRoundedUpTo8BytesApart() {
        ArrayMap a = array(5, 3);
        Memory mem = memory(registry);
        long v0 = a.lookup(mem, onStack(mem, 4, u32(0)), 0);
        long v1 = a.lookup(mem, onStack(mem, 4, u32(1)), 0);
        assertEquals(8, v1 - v0);
        assertThrows(BpfFault.class, () -> mem.load8(a.address(2, 0) + 8), "nothing beyond the last value");
    }

    @Test
    void programUpdateReadsKeyAndValueFromTheStack() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        assertEquals(0, a.update(mem, onStack(mem, 4, u32(2)), onStack(mem, 16, u64(0x1122334455667788L)), BpfMap.ANY, 0));
        assertEquals(0x1122334455667788L, asU64(a.lookup(u32(2)).orElseThrow()));
    }

    @Test
    void badKeyPointerFaults() {
        ArrayMap a = array(8, 4);
        Memory mem = memory(registry);
        var f = assertThrows(BpfFault.class, () -> a.lookup(mem, 0, 0));
        assertEquals(BpfFault.Kind.OUT_OF_BOUNDS, f.kind());
        assertThrows(BpfFault.class, () -> a.update(mem, Memory.stackTop(0) - 2, Memory.stackTop(0) - 16, 0, 0));
    }

    @Test
    void perCpuArrayKeepsOneCopyPerCpu() {
        ArrayMap a = registry.create(spec(MapType.PERCPU_ARRAY, 4, 4, 2), ArrayMap.class);
        assertTrue(a.isPerCpu());
        Memory mem = memory(registry);
        long key = onStack(mem, 4, u32(1));
        long c0 = a.lookup(mem, key, 0);
        long c1 = a.lookup(mem, key, 1);
        assertNotEquals(c0, c1);
        assertEquals(0, a.lookup(mem, key, 2), "no CPU 2");
        mem.store32(c0, 7);
        mem.store32(c1, 9);
        assertEquals(0, a.update(mem, key, onStack(mem, 16, u32(5)), BpfMap.ANY, 1));
        List<byte[]> vs = a.lookupPerCpu(u32(1)).orElseThrow();
        assertEquals(2, vs.size());
        assertEquals(7, asU32(vs.get(0)));
        assertEquals(5, asU32(vs.get(1)), "a program's update writes its own CPU's copy only");
        assertEquals(16, a.lookup(u32(1)).orElseThrow().length, "syscall layout: round_up(4, 8) per CPU");
    }

    @Test
    void perCpuControlPlaneUpdateTakesOneOrAllValues() {
        ArrayMap a = registry.create(spec(MapType.PERCPU_ARRAY, 4, 4, 2), ArrayMap.class);
        a.update(u32(0), u32(3), BpfMap.ANY);
        assertEquals(List.of(3, 3), a.lookupPerCpu(u32(0)).orElseThrow().stream().map(Bytes::asU32).toList());
        byte[] both = new byte[16];
        both[0] = 1;
        both[8] = 2;
        a.update(u32(0), both, BpfMap.ANY);
        assertEquals(List.of(1, 2), a.lookupPerCpu(u32(0)).orElseThrow().stream().map(Bytes::asU32).toList());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> a.update(u32(0), u32(1), BpfMap.F_LOCK))
                .errno(), "per-CPU maps refuse BPF_F_LOCK");
    }

    @Test
    void getNextKeyWalksEveryIndex() {
        ArrayMap a = array(4, 3);
        assertArrayEquals(u32(0), a.nextKey(null).orElseThrow());
        assertArrayEquals(u32(1), a.nextKey(u32(0)).orElseThrow());
        assertArrayEquals(u32(2), a.nextKey(u32(1)).orElseThrow());
        assertTrue(a.nextKey(u32(2)).isEmpty());
        assertArrayEquals(u32(0), a.nextKey(u32(77)).orElseThrow(), "an index beyond restarts");
        assertEquals(3, a.keys().size());
    }

    @Test
    void forEachVisitsEveryIndexWithKeyAndValuePointers() {
        ArrayMap a = array(8, 3);
        a.update(u32(1), u64(5), BpfMap.ANY);
        Memory mem = memory(registry);
        List<String> seen = new ArrayList<>();
        long n = a.forEach(mem, 0, (k, v) -> {
            seen.add(mem.load32(k) + "=" + mem.load64(v));
            return 0;
        });
        assertEquals(3, n);
        assertEquals(List.of("0=0", "1=5", "2=0"), seen);
        assertEquals(2, a.forEach(mem, 0, (k, v) -> mem.load32(k) == 1 ? 1 : 0), "stops at the callback's 1");
        assertThrows(BpfFault.class, () -> a.forEach(mem, 0, (k, v) -> {
            mem.store32(k, 9);
            return 0;
        }), "keys are read-only");
    }

    @Test
    void globalDataStartsWithItsSectionAndRodataIsReadOnlyToPrograms() {
        byte[] init = of(1, 2, 3, 4, 5);
        var rodata = new MapSpec(".rodata", MapType.ARRAY, 4, 5, 1, MapSpec.F_RDONLY_PROG, MapSpec.Pinning.NONE, null,
                init, Map.of(), 0, 0, MapSpec.Kind.RODATA);
        ArrayMap a = registry.create(rodata, ArrayMap.class);
        Memory mem = memory(registry);
        long v = a.address(0, 0);
        assertArrayEquals(init, read(mem, v, 5));
        var f = assertThrows(BpfFault.class, () -> mem.store8(v, 0));
        assertEquals(BpfFault.Kind.READ_ONLY, f.kind());
        assertEquals(-Errno.EINVAL, a.update(mem, onStack(mem, 4, u32(0)), onStack(mem, 16, init), BpfMap.ANY, 0));
    }

    @Test
    void creationChecksTheDeclaration() {
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> registry.create(spec(MapType.ARRAY, 8, 4, 1))).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> registry.create(spec(MapType.ARRAY, 4, 0, 1))).errno());
        assertEquals(Errno.E2BIG, assertThrows(MapException.class,
                () -> registry.create(spec(MapType.ARRAY, 4, 1 << 20, 1 << 13))).errno());
    }
}
