package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.TypedMap;
import org.bpf4j.core.api.Codec;
import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class TypedMapTest {
    private final MapRegistry registry = new MapRegistry(2);

    record Flow(int saddr, int daddr, short sport, short dport, byte proto) {}

    record Stats(long packets, long bytes) {}

    @Test
    void intToLongCounters() {
        TypedMap<Integer, Long> m = registry.create(spec(MapType.HASH, 4, 8, 8)).typed(Codec.int32(), Codec.int64());
        m.put(1, 10L);
        m.put(2, 20L, BpfMap.NOEXIST);
        assertEquals(10L, m.get(1).orElseThrow());
        assertTrue(m.get(3).isEmpty());
        assertTrue(m.remove(1));
        assertFalse(m.remove(1));
        assertEquals(Map.of(2, 20L), m.snapshot());
        assertEquals(List.of(2), m.keys());
        assertEquals(2, m.nextKey(null).orElseThrow());
        assertTrue(m.nextKey(2).isEmpty());
        var e = assertThrows(MapException.class, () -> m.put(2, 1L, BpfMap.NOEXIST));
        assertEquals(Errno.EEXIST, e.errno());
    }

    @Test
    void structCodecLaysRecordsOutAsCStructs() {
        Codec<Flow> flow = Codec.struct(Flow.class);
        assertEquals(16, flow.size(), "4 + 4 + 2 + 2 + 1, padded to 4");
        byte[] b = flow.encode(new Flow(0x0a000001, 0x0a000002, (short) 80, (short) 443, (byte) 6));
        assertArrayEquals(of(1, 0, 0, 10, 2, 0, 0, 10, 80, 0, 0xbb, 1, 6, 0, 0, 0), b);
        assertEquals(new Flow(0x0a000001, 0x0a000002, (short) 80, (short) 443, (byte) 6), flow.decode(b));
        record Mixed(byte a, long b) {}
        assertEquals(16, Codec.struct(Mixed.class).size(), "the long is 8-aligned");
        record Bad(String s) {}
        assertThrows(IllegalArgumentException.class, () -> Codec.struct(Bad.class));
    }

    @Test
    void recordsAsKeysAndValuesSeenByPrograms() {
        BpfMap raw = registry.create(spec(MapType.HASH, 16, 16, 8));
        TypedMap<Flow, Stats> flows = raw.typed(Codec.struct(Flow.class), Codec.struct(Stats.class));
        Flow f = new Flow(1, 2, (short) 3, (short) 4, (byte) 17);
        flows.put(f, new Stats(1, 100));
        Memory mem = memory(registry);
        long v = raw.lookup(mem, onStack(mem, 16, Codec.struct(Flow.class).encode(f)), 0);
        mem.atomic(v, 8, Memory.ATOMIC_ADD, 1);
        mem.atomic(v + 8, 8, Memory.ATOMIC_ADD, 60);
        assertEquals(new Stats(2, 160), flows.get(f).orElseThrow());
    }

    @Test
    void perCpuValues() {
        TypedMap<Integer, Integer> m = registry.create(spec(MapType.PERCPU_HASH, 4, 4, 4))
                .typed(Codec.int32(), Codec.int32());
        m.putPerCpu(5, List.of(1, 2), BpfMap.ANY);
        assertEquals(List.of(1, 2), m.getPerCpu(5));
        assertEquals(1, m.get(5).orElseThrow());
        m.put(6, 9);
        assertEquals(List.of(9, 9), m.getPerCpu(6));
        assertEquals(List.of(), m.getPerCpu(7));
    }

    @Test
    void queueThroughTypedView() {
        TypedMap<Void, Long> q = registry.create(spec(MapType.QUEUE, 0, 8, 4)).typed(Codec.of(0, (v, b) -> {}, b -> null),
                Codec.int64());
        q.push(1L);
        q.push(2L);
        assertEquals(1L, q.peek().orElseThrow());
        assertEquals(1L, q.pop().orElseThrow());
        assertEquals(2L, q.pop().orElseThrow());
        assertTrue(q.pop().isEmpty());
    }

    @Test
    void codecSizesMustMatchTheMap() {
        BpfMap m = registry.create(spec(MapType.HASH, 4, 8, 4));
        assertThrows(IllegalArgumentException.class, () -> m.typed(Codec.int64(), Codec.int64()));
        assertThrows(IllegalArgumentException.class, () -> m.typed(Codec.int32(), Codec.int32()));
        TypedMap<byte[], byte[]> raw = m.typed(Codec.bytes(4), Codec.bytes(8));
        raw.put(of(1, 2), of(3));
        assertArrayEquals(of(3, 0, 0, 0, 0, 0, 0, 0), raw.get(of(1, 2, 0, 0)).orElseThrow());
    }
}
