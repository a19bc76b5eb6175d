package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class QueueStackMapTest {
    private final MapRegistry registry = new MapRegistry(1);

    private QueueStackMap make(MapType type, int max) {
        return registry.create(spec(type, 0, 4, max), QueueStackMap.class);
    }

    private static List<Integer> drain(QueueStackMap m) {
        List<Integer> out = new ArrayList<>();
        for (var v = m.pop(); v.isPresent(); v = m.pop()) {
            out.add(asU32(v.get()));
        }
        return out;
    }

    @Test
    void queueIsFifo() {
        QueueStackMap q = make(MapType.QUEUE, 4);
        for (int i = 1; i <= 3; i++) {
            q.push(u32(i), BpfMap.ANY);
        }
        assertEquals(1, asU32(q.peek().orElseThrow()));
        assertEquals(List.of(1, 2, 3), drain(q));
    }

    @Test
    void stackIsLifo() {
        QueueStackMap s = make(MapType.STACK, 4);
        for (int i = 1; i <= 3; i++) {
            s.push(u32(i), BpfMap.ANY);
        }
        assertEquals(3, asU32(s.peek().orElseThrow()));
        assertEquals(List.of(3, 2, 1), drain(s));
    }

    @Test
    void pushIntoAFullMapIsE2bigUnlessExistOverwritesTheOldest() {
        for (MapType type : List.of(MapType.QUEUE, MapType.STACK)) {
            QueueStackMap m = make(type, 3);
            for (int i = 1; i <= 3; i++) {
                m.push(u32(i), BpfMap.ANY);
            }
            assertEquals(Errno.E2BIG, assertThrows(MapException.class, () -> m.push(u32(4), BpfMap.ANY)).errno());
            m.push(u32(4), BpfMap.EXIST);
            m.push(u32(5), BpfMap.EXIST);
            assertEquals(3, m.size());
            assertEquals(type == MapType.QUEUE ? List.of(3, 4, 5) : List.of(5, 4, 3), drain(m), type.toString());
        }
    }

    @Test
    void popAndPeekOfAnEmptyMapAreEnoent() {
        QueueStackMap q = make(MapType.QUEUE, 2);
        Memory mem = memory(registry);
        long dst = Memory.stackTop(0) - 8;
        assertEquals(-Errno.ENOENT, q.pop(mem, dst));
        assertEquals(-Errno.ENOENT, q.peek(mem, dst));
        assertTrue(q.pop().isEmpty());
        assertTrue(q.peek().isEmpty());
    }

    @Test
    void pushFlagsOtherThanAnyAndExistAreEinval() {
        QueueStackMap q = make(MapType.QUEUE, 2);
        Memory mem = memory(registry);
        long v = onStack(mem, 8, u32(1));
        assertEquals(-Errno.EINVAL, q.push(mem, v, BpfMap.NOEXIST));
        assertEquals(-Errno.EINVAL, q.push(mem, v, 8));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> q.push(u32(1), BpfMap.NOEXIST)).errno());
    }

    @Test
    void programSidePushPopPeekCopyThroughMemory() {
        QueueStackMap q = make(MapType.QUEUE, 2);
        Memory mem = memory(registry);
        assertEquals(0, q.push(mem, onStack(mem, 8, u32(10)), BpfMap.ANY));
        assertEquals(0, q.push(mem, onStack(mem, 8, u32(20)), BpfMap.ANY));
        assertEquals(-Errno.E2BIG, q.push(mem, onStack(mem, 8, u32(30)), BpfMap.ANY));
        assertEquals(0, q.push(mem, onStack(mem, 8, u32(30)), BpfMap.EXIST));
        long out = Memory.stackTop(0) - 16;
        assertEquals(0, q.peek(mem, out));
        assertEquals(20, mem.load32(out));
        assertEquals(0, q.pop(mem, out));
        assertEquals(20, mem.load32(out));
        assertEquals(0, q.pop(mem, out));
        assertEquals(30, mem.load32(out));
        assertEquals(0, q.size());
    }

    @Test
    void aFaultingDestinationLeavesTheElement() {
        QueueStackMap q = make(MapType.STACK, 2);
        q.push(u32(5), BpfMap.ANY);
        Memory mem = memory(registry);
        assertThrows(BpfFault.class, () -> q.pop(mem, Memory.stackTop(0) - 2));
        assertEquals(5, asU32(q.peek().orElseThrow()));
    }

    @Test
    void controlPlaneSyscallsWithoutKey() {
        QueueStackMap q = make(MapType.QUEUE, 2);
        q.update(null, u32(1), BpfMap.ANY);
        q.update(new byte[0], u32(2), BpfMap.ANY);
        assertEquals(1, asU32(q.lookup(null).orElseThrow()));
        assertEquals(1, asU32(q.lookupAndDelete(null).orElseThrow()));
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> q.nextKey(null)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> q.delete(null)).errno());
        assertEquals("[]\n", q.dumpJson());
    }

    @Test
    void creationNeedsNoKey() {
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> registry.create(spec(MapType.QUEUE, 4, 4, 2))).errno());
    }
}
