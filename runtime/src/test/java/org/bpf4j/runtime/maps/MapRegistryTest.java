package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;

class MapRegistryTest {

    @Test
    void regionIdsStartAt16AndAreUnique() {
        MapRegistry r = new MapRegistry(2);
        r.create(spec(MapType.ARRAY, 4, 8, 4));
        r.create(spec(MapType.HASH, 4, 8, 4));
        r.create(spec(MapType.RINGBUF, 0, 0, 4096));
        r.create(spec(MapType.QUEUE, 0, 4, 4));
        Set<Integer> ids = new HashSet<>();
        for (BpfMap m : r.maps()) {
            for (Region g : m.regions()) {
                assertTrue(g.id() >= Memory.FIRST_FREE_REGION);
                assertTrue(ids.add(g.id()), "region id used twice: " + g.id());
            }
        }
        assertEquals(5, ids.size(), "array: values + keys, hash: values + keys, ringbuf: data, queue: none");
        assertEquals(Memory.FIRST_FREE_REGION + 5, r.nextFreeRegion());
    }

    @Test
    void regionsCanStartHigherToLeaveRoomForOthers() {
        MapRegistry r = new MapRegistry(1, 40);
        BpfMap m = r.create(spec(MapType.ARRAY, 4, 8, 4));
        assertEquals(40, m.regions().getFirst().id());
        assertThrows(IllegalArgumentException.class, () -> new MapRegistry(1, 3));
        assertThrows(IllegalArgumentException.class, () -> new MapRegistry(0));
    }

    @Test
    void everyThreadsMemorySeesTheSameValuesAtTheSameAddresses() {
        MapRegistry r = new MapRegistry(2);
        ArrayMap a = r.create(spec(MapType.ARRAY, 4, 8, 4), ArrayMap.class);
        Memory m1 = memory(r);
        Memory m2 = memory(r);
        long v = a.address(2, 0);
        m1.store64(v, 1234);
        assertEquals(1234, m2.load64(v));
        assertEquals(a.lookup(m1, onStack(m1, 4, u32(2)), 0), a.lookup(m2, onStack(m2, 4, u32(2)), 0));
    }

    @Test
    void mapIntoMapsOnlyWhatIsMissing() {
        MapRegistry r = new MapRegistry(1);
        ArrayMap a = r.create(spec(MapType.ARRAY, 4, 8, 4), ArrayMap.class);
        Memory mem = memory(r);
        Region before = mem.region(a.regions().getFirst().id());
        int gen = r.generation();
        HashTableMap h = r.create(spec(MapType.HASH, 4, 8, 4), HashTableMap.class);
        assertNotEquals(gen, r.generation());
        r.mapInto(mem);
        assertSame(before, mem.region(a.regions().getFirst().id()), "already mapped: left alone");
        h.update(u32(1), u64(5), BpfMap.ANY);
        assertEquals(5, mem.load64(h.lookup(mem, onStack(mem, 4, u32(1)), 0)));
    }

    @Test
    void handlesNameMapsAndFaultWhenDereferenced() {
        MapRegistry r = new MapRegistry(1);
        BpfMap a = r.create(spec(MapType.ARRAY, 4, 8, 4));
        BpfMap b = r.create(spec(MapType.HASH, 4, 8, 4));
        assertNotEquals(a.handle(), b.handle());
        assertSame(a, r.byHandle(a.handle()));
        assertSame(b, r.byHandle(b.handle()));
        assertNull(r.byHandle(a.regions().getFirst().start()), "a value address is no handle");
        assertNull(r.byHandle(MapRegistry.handleOf(99)));
        assertNull(r.byHandle(0));
        assertTrue(MapRegistry.isHandle(a.handle()));
        Memory mem = memory(r);
        var f = assertThrows(BpfFault.class, () -> mem.load8(b.handle()));
        assertEquals(BpfFault.Kind.OUT_OF_BOUNDS, f.kind());
        assertSame(b, r.byId(b.id()));
        assertSame(a, r.byName(a.name()).orElseThrow());
    }

    @Test
    void addressesLeadBackToTheirMap() {
        MapRegistry r = new MapRegistry(1);
        ArrayMap a = r.create(spec(MapType.ARRAY, 4, 8, 4), ArrayMap.class);
        RingBufMap ring = r.create(spec(MapType.RINGBUF, 0, 0, 4096), RingBufMap.class);
        r.create(spec(MapType.QUEUE, 0, 4, 4));
        long record = ring.reserve(8, 0);
        assertSame(ring, r.byAddress(record));
        assertSame(a, r.byAddress(a.address(3, 0)));
        assertNull(r.byAddress(Memory.stackTop(0) - 8));
        assertNull(r.byAddress(a.handle()));
        assertNull(r.byAddress((long) r.nextFreeRegion() << 32));
    }

    @Test
    void unsupportedTypesAreEinval() {
        MapRegistry r = new MapRegistry(1);
        var e = assertThrows(MapException.class, () -> r.create(spec(MapType.SOCKMAP, 4, 4, 4)));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("create: map type sockmap is not supported"), e.getMessage());
        assertEquals(0, r.maps().size());
    }

    @Test
    void createChecksTheExpectedFamily() {
        MapRegistry r = new MapRegistry(1);
        assertThrows(IllegalArgumentException.class, () -> r.create(MapSpec.of("x", MapType.ARRAY, 4, 4, 1),
                HashTableMap.class));
        assertInstanceOf(ArrayMap.class, r.create(MapSpec.of("y", MapType.PERCPU_ARRAY, 4, 4, 1), ArrayMap.class));
    }
}
