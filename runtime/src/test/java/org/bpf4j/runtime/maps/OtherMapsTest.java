package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

/** Perf event arrays, bloom filters, program arrays, maps of maps and redirect maps. */
class OtherMapsTest {
    private final MapRegistry registry = new MapRegistry(2);

    // ---- perf_event_array

    @Test
    void perfOutputGoesToTheCurrentCpusBufferOrTheIndexGiven() {
        var p = registry.create(spec(MapType.PERF_EVENT_ARRAY, 4, 4, 2), PerfEventArrayMap.class);
        Memory mem = memory(registry);
        long unopened = onStack(mem, 8, u64(1));
        assertEquals(-Errno.ENOENT, p.output(mem, 0, unopened, 8, 0), "no perf event on the slot yet");
        p.open(0, 8);
        p.open(1, 8);
        long data = onStack(mem, 8, u64(42));
        assertEquals(0, p.output(mem, PerfEventArrayMap.CURRENT_CPU, data, 8, 1));
        assertEquals(0, p.output(mem, 0, data, 4, 1));
        assertEquals(List.of(), p.drain(0).stream().filter(b -> b.length == 8).toList());
        assertEquals(1, p.drain(1).size());
        assertTrue(p.drain(1).isEmpty(), "drained");
        assertEquals(-Errno.E2BIG, p.output(mem, 2, data, 8, 0));
        assertEquals(-Errno.EINVAL, p.output(mem, 1L << 60, data, 8, 0));
        assertEquals(0, p.output(mem, 5L << 32, data, 8, 0), "ctx length bits are ignored");
    }

    @Test
    void perfOutputToAClosedIndexIsEnoentAndAFullBufferLosesRecords() {
        var p = registry.create(spec(MapType.PERF_EVENT_ARRAY, 4, 4, 2), PerfEventArrayMap.class);
        Memory mem = memory(registry);
        long unopened = onStack(mem, 8, u64(1));
        assertEquals(-Errno.ENOENT, p.output(mem, 0, unopened, 8, 0), "no perf event on the slot yet");
        p.open(0, 8);
        p.open(1, 8);
        long data = onStack(mem, 256, new byte[256]);
        p.close(1);
        assertEquals(-Errno.ENOENT, p.output(mem, 1, data, 8, 0));
        p.open(0, 1);
        int ok = 0;
        while (p.output(mem, 0, data, 256, 0) == 0) {
            ok++;
        }
        assertEquals(4096 / (8 + 264), ok);
        assertEquals(-Errno.ENOSPC, p.output(mem, 0, data, 256, 0));
        assertEquals(2, p.lost(0));
        assertEquals(ok, p.drain(0).size());
        assertEquals(0, p.output(mem, 0, data, 256, 0));
    }

    // ---- bloom_filter

    @Test
    void bloomFilterHasNoFalseNegativesAndFewFalsePositives() {
        var b = registry.create(spec(MapType.BLOOM_FILTER, 0, 4, 1000), BloomFilterMap.class);
        Memory mem = memory(registry);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, b.push(mem, onStack(mem, 8, u32(i * 3)), BpfMap.ANY));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, b.peek(mem, onStack(mem, 8, u32(i * 3))), "added values are always found");
        }
        int falsePositives = 0;
        for (int i = 0; i < 10_000; i++) {
            if (b.mightContain(u32(1_000_000 + i))) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 500, falsePositives + " false positives in 10000");
        int absent = 2_000_000;
        while (b.mightContain(u32(absent))) {
            absent++;
        }
        assertEquals(-Errno.ENOENT, b.peek(mem, onStack(mem, 8, u32(absent))));
    }

    @Test
    void bloomFilterTakesOnlyBpfAnyAndCannotPop() {
        var b = registry.create(spec(MapType.BLOOM_FILTER, 0, 8, 16), BloomFilterMap.class);
        Memory mem = memory(registry);
        assertEquals(-Errno.EINVAL, b.push(mem, onStack(mem, 8, u64(1)), BpfMap.EXIST));
        assertEquals(-Errno.EOPNOTSUPP, b.pop(mem, onStack(mem, 8, u64(1))));
        assertFalse(b.mightContain(u64(1)));
        b.push(u64(1), BpfMap.ANY);
        assertTrue(b.mightContain(u64(1)));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> b.push(u64(1), BpfMap.NOEXIST)).errno());
    }

    // ---- prog_array

    @Test
    void progArrayHoldsProgramIndexesForTailCalls() {
        var p = registry.create(spec(MapType.PROG_ARRAY, 4, 4, 4), ProgArrayMap.class);
        assertEquals(ProgArrayMap.EMPTY, p.program(0));
        p.set(1, 7);
        p.update(u32(2), u32(9), BpfMap.ANY);
        assertEquals(7, p.program(1));
        assertEquals(9, p.program(2));
        assertEquals(ProgArrayMap.EMPTY, p.program(4));
        assertEquals(ProgArrayMap.EMPTY, p.program(0xffff_ffffL));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> p.update(u32(0), u32(1), BpfMap.NOEXIST))
                .errno());
        assertEquals(Errno.E2BIG, assertThrows(MapException.class, () -> p.update(u32(4), u32(1), BpfMap.ANY)).errno());
        assertTrue(p.lookup(u32(0)).isEmpty());
        assertEquals(9, asU32(p.lookup(u32(2)).orElseThrow()));
        p.delete(u32(2));
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> p.delete(u32(2))).errno());
        Memory mem = memory(registry);
        assertEquals(0, p.lookup(mem, onStack(mem, 4, u32(1)), 0), "programs cannot look up program arrays");
        assertEquals(4, p.keys().size(), "get-next-key walks every index");
        assertEquals("[{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x07\",\"0x00\",\"0x00\",\"0x00\"]}]\n",
                p.dumpJson(), "empty slots are left out, as bpftool does");
    }

    // ---- maps of maps

    @Test
    void arrayOfMapsLookupFromAProgramReturnsTheInnerHandle() {
        MapSpec template = spec(MapType.ARRAY, 4, 8, 4);
        var outer = registry.create(new MapSpec("outer", MapType.ARRAY_OF_MAPS, 4, 4, 2, 0, MapSpec.Pinning.NONE,
                template, null, null, 0, 0, MapSpec.Kind.BTF_DEFINED), MapOfMaps.class);
        var inner = registry.create(MapSpec.of("inner", MapType.ARRAY, 4, 8, 4), ArrayMap.class);
        inner.update(u32(3), u64(99), BpfMap.ANY);
        outer.set(1, inner);
        Memory mem = memory(registry);
        long handle = outer.lookup(mem, onStack(mem, 4, u32(1)), 0);
        assertEquals(inner.handle(), handle);
        assertEquals(0, outer.lookup(mem, onStack(mem, 4, u32(0)), 0));
        assertEquals(0, outer.lookup(mem, onStack(mem, 4, u32(2)), 0));
        BpfMap resolved = registry.byHandle(handle);
        assertSame(inner, resolved);
        long v = resolved.lookup(mem, onStack(mem, 4, u32(3)), 0);
        assertEquals(99, mem.load64(v));
        assertThrows(BpfFault.class, () -> mem.load64(handle), "a handle is no pointer");
        assertEquals(inner.id(), asU32(outer.lookup(u32(1)).orElseThrow()), "the control plane sees the id");
        assertSame(inner, outer.inner(u32(1)).orElseThrow());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> outer.update(u32(0), u32(1), BpfMap.NOEXIST))
                .errno());
        outer.delete(u32(1));
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> outer.delete(u32(1))).errno());
    }

    @Test
    void innerMapsMustMatchTheTemplate() {
        MapSpec template = spec(MapType.HASH, 4, 8, 16);
        var outer = registry.create(new MapSpec("outer", MapType.HASH_OF_MAPS, 8, 4, 4, 0, MapSpec.Pinning.NONE,
                template, null, null, 0, 0, MapSpec.Kind.BTF_DEFINED), MapOfMaps.class);
        var wrongSize = registry.create(spec(MapType.HASH, 4, 4, 16));
        var wrongMax = registry.create(spec(MapType.HASH, 4, 8, 8));
        var ok = registry.create(spec(MapType.HASH, 4, 8, 16));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> outer.set(u64(1), wrongSize, 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> outer.set(u64(1), wrongMax, 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> outer.update(u64(1), u32(999), 0)).errno());
        outer.set(u64(1), ok, BpfMap.NOEXIST);
        assertEquals(Errno.EEXIST, assertThrows(MapException.class, () -> outer.set(u64(1), ok, BpfMap.NOEXIST))
                .errno());
        Memory mem = memory(registry);
        assertEquals(ok.handle(), outer.lookup(mem, onStack(mem, 8, u64(1)), 0));
        assertEquals(0, outer.lookup(mem, onStack(mem, 8, u64(2)), 0));
        var flexible = registry.create(new MapSpec("outer2", MapType.ARRAY_OF_MAPS, 4, 4, 1, 0, MapSpec.Pinning.NONE,
                spec(MapType.HASH, 4, 8, 16, MapRegistry.F_INNER_MAP), null, null, 0, 0, MapSpec.Kind.BTF_DEFINED),
                MapOfMaps.class);
        var flexibleInner = registry.create(spec(MapType.HASH, 4, 8, 99, MapRegistry.F_INNER_MAP));
        flexible.set(0, flexibleInner);
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> flexible.set(0, outer)).errno(),
                "no nesting");
    }

    @Test
    void hashOfMapsIsFullAtMaxEntries() {
        var outer = registry.create(spec(MapType.HASH_OF_MAPS, 4, 4, 1), MapOfMaps.class);
        var inner = registry.create(spec(MapType.ARRAY, 4, 4, 1));
        outer.set(u32(1), inner, BpfMap.ANY);
        assertEquals(Errno.E2BIG, assertThrows(MapException.class, () -> outer.set(u32(2), inner, BpfMap.ANY)).errno());
        assertEquals(1, outer.size());
    }

    // ---- redirect maps

    @Test
    void devmapRedirectsToTheIfindexAndProgramsMayReadTheValue() {
        var d = registry.create(spec(MapType.DEVMAP, 4, 4, 4), RedirectMap.class);
        d.update(u32(1), u32(7), BpfMap.ANY);
        assertEquals(7, d.redirectTarget(1));
        assertEquals(-1, d.redirectTarget(0));
        assertEquals(-1, d.redirectTarget(4));
        assertEquals(Errno.EEXIST, assertThrows(MapException.class, () -> d.update(u32(1), u32(8), BpfMap.NOEXIST))
                .errno());
        assertEquals(Errno.E2BIG, assertThrows(MapException.class, () -> d.update(u32(4), u32(8), BpfMap.ANY)).errno());
        Memory mem = memory(registry);
        long v = d.lookup(mem, onStack(mem, 4, u32(1)), 0);
        assertEquals(7, mem.load32(v));
        assertThrows(BpfFault.class, () -> mem.store32(v, 1), "read-only to programs");
        assertEquals(0, d.lookup(mem, onStack(mem, 4, u32(2)), 0));
        assertEquals(-Errno.EOPNOTSUPP, d.update(mem, onStack(mem, 4, u32(1)), onStack(mem, 8, u32(1)), 0, 0));
        d.update(u32(1), u32(0), BpfMap.ANY);
        assertEquals(-1, d.redirectTarget(1), "ifindex 0 empties the slot");
        d.update(u32(2), u32(5), BpfMap.ANY);
        d.delete(u32(2));
        d.delete(u32(2));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> d.delete(u32(9))).errno());
        d.update(u32(0), u32(3), BpfMap.ANY);
        assertEquals("[{\"key\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x03\",\"0x00\",\"0x00\",\"0x00\"]},"
                + "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":{\"error\":\"No such file or directory\"}},"
                + "{\"key\":[\"0x02\",\"0x00\",\"0x00\",\"0x00\"],\"value\":{\"error\":\"No such file or directory\"}},"
                + "{\"key\":[\"0x03\",\"0x00\",\"0x00\",\"0x00\"],\"value\":{\"error\":\"No such file or directory\"}}]\n",
                d.dumpJson(), "as bpftool dumps a devmap");
    }

    @Test
    void devmapHashUsesHashSemantics() {
        var d = registry.create(spec(MapType.DEVMAP_HASH, 4, 8, 2), RedirectMap.class);
        d.update(u32(100), of(9, 0, 0, 0, 0, 0, 0, 0), BpfMap.ANY);
        d.update(u32(200), of(10, 0, 0, 0, 0, 0, 0, 0), BpfMap.ANY);
        assertEquals(9, d.redirectTarget(100));
        assertEquals(10, d.redirectTarget(200));
        assertEquals(-1, d.redirectTarget(300));
        assertEquals(Errno.E2BIG, assertThrows(MapException.class,
                () -> d.update(u32(300), of(1, 0, 0, 0, 0, 0, 0, 0), BpfMap.ANY)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> d.update(u32(100), new byte[8], BpfMap.ANY)).errno());
        d.delete(u32(100));
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> d.delete(u32(100))).errno());
        Memory mem = memory(registry);
        assertEquals(10, mem.load32(d.lookup(mem, onStack(mem, 4, u32(200)), 0)));
    }

    @Test
    void cpumapRedirectsToTheKeysCpu() {
        var c = registry.create(spec(MapType.CPUMAP, 4, 4, 4), RedirectMap.class);
        c.update(u32(1), u32(192), BpfMap.ANY);
        assertEquals(1, c.redirectTarget(1));
        assertEquals(-1, c.redirectTarget(0));
        assertEquals(Errno.ENODEV, assertThrows(MapException.class, () -> c.update(u32(3), u32(192), BpfMap.ANY))
                .errno(), "the registry has 2 CPUs");
        assertEquals(Errno.EOVERFLOW, assertThrows(MapException.class, () -> c.update(u32(0), u32(20000), 0)).errno());
        c.update(u32(1), u32(0), BpfMap.ANY);
        assertEquals(-1, c.redirectTarget(1), "queue size 0 empties");
        Memory mem = memory(registry);
        assertEquals(0, c.lookup(mem, onStack(mem, 4, u32(1)), 0), "programs cannot look up cpumaps");
    }

    @Test
    void xskmapRedirectsToTheQueueAndCannotBeReadBack() {
        var x = registry.create(spec(MapType.XSKMAP, 4, 4, 4), RedirectMap.class);
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> x.update(u32(0), u32(3), BpfMap.EXIST))
                .errno());
        x.update(u32(0), u32(3), BpfMap.NOEXIST);
        assertEquals(Errno.EEXIST, assertThrows(MapException.class, () -> x.update(u32(0), u32(3), BpfMap.NOEXIST))
                .errno());
        assertEquals(3, x.redirectTarget(0));
        assertEquals(Errno.EOPNOTSUPP, assertThrows(MapException.class, () -> x.lookup(u32(0))).errno());
        assertTrue(x.dumpJson().contains("{\"error\":\"Operation not supported\"}"));
    }
}
