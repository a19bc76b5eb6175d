package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class RingBufMapTest {
    private final MapRegistry registry = new MapRegistry(2);

    private RingBufMap ring(int size) {
        return registry.create(spec(MapType.RINGBUF, 0, 0, size), RingBufMap.class);
    }

    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Test
    void submittedRecordsComeOutInOrderAndDiscardedOnesAreSkipped() {
        RingBufMap r = ring(4096);
        Memory mem = memory(registry);
        long a = r.reserve(4, 0);
        long b = r.reserve(10, 0);
        long c = r.reserve(1, 0);
        assertNotEquals(0, a);
        assertEquals(16, b - a, "8-byte header, data rounded up to 8");
        assertEquals(24, c - b);
        mem.store32(a, 1);
        mem.write(b, filled(10, 2), 0, 10);
        mem.store8(c, 3);
        r.submit(a, 0);
        r.discard(b, 0);
        r.submit(c, 0);
        List<byte[]> out = r.drain();
        assertEquals(2, out.size());
        assertArrayEquals(u32(1), out.get(0));
        assertArrayEquals(of(3), out.get(1));
        assertEquals(0, r.available());
    }

    @Test
    void aReservedRecordHoldsBackTheOnesAfterIt() {
        RingBufMap r = ring(4096);
        long a = r.reserve(8, 0);
        long b = r.reserve(8, 0);
        r.submit(b, 0);
        assertTrue(r.poll().isEmpty(), "a is still being written");
        r.submit(a, 0);
        assertEquals(2, r.drain().size());
    }

    @Test
    void fullRingReturnsNullAndOutputEagain() {
        RingBufMap r = ring(4096);
        Memory mem = memory(registry);
        assertEquals(0, r.reserve(4096, 0), "header + 4096 bytes exceed the ring");
        assertEquals(0, r.reserve(1 << 30, 0));
        assertEquals(0, r.reserve(4096 - 8, 0), "the whole ring: the kernel keeps at most size - 1 bytes outstanding");
        long big = r.reserve(4096 - 16, 0);
        assertNotEquals(0, big, "all but one record's worth");
        assertEquals(0, r.reserve(1, 0));
        long data = onStack(mem, 8, u64(1));
        assertEquals(-Errno.EAGAIN, r.output(mem, data, 8, 0));
        r.submit(big, 0);
        assertEquals(4096 - 16, r.poll().orElseThrow().length);
        assertEquals(0, r.output(mem, data, 8, 0));
        assertEquals(-Errno.EINVAL, r.output(mem, data, 8, 4));
        assertEquals(0, r.reserve(8, 1), "reserve takes no flags");
    }

    @Test
    void wrapAroundOverManyCyclesKeepsEveryRecordIntact() {
        RingBufMap r = ring(4096);
        Memory mem = memory(registry);
        Random rnd = new Random(7);
        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        ArrayDeque<Long> reserved = new ArrayDeque<>();
        ArrayDeque<byte[]> pending = new ArrayDeque<>();
        int seq = 0;
        int wrapped = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                int len = 1 + rnd.nextInt(700);
                long at = r.reserve(len, 0);
                long inUse = r.producerPosition() - r.consumerPosition();
                if (at == 0) {
                    assertTrue(inUse + ((len + 8 + 7) & ~7) > 4095, "refused with room: step " + step);
                    continue;
                }
                long off = (at - r.regions().getFirst().start()) - 8;
                if (off + 8 + len > 4096) {
                    wrapped++;
                }
                byte[] data = filled(len, seq++);
                mem.write(at, data, 0, len);
                reserved.add(at);
                pending.add(data);
            } else if (op < 8 && !reserved.isEmpty()) {
                long at = reserved.poll();
                byte[] data = pending.poll();
                if (rnd.nextInt(4) == 0) {
                    r.discard(at, 0);
                } else {
                    r.submit(at, 0);
                    expected.add(data);
                }
            } else {
                for (var rec = r.poll(); rec.isPresent(); rec = r.poll()) {
                    assertArrayEquals(expected.poll(), rec.get(), "step " + step);
                }
                if (reserved.isEmpty()) {
                    assertTrue(expected.isEmpty());
                }
            }
        }
        assertTrue(wrapped > 50, "records crossed the end " + wrapped + " times");
        assertTrue(r.producerPosition() > 100 * 4096L, "positions keep counting");
    }

    @Test
    void outputCopiesProgramMemory() {
        RingBufMap r = ring(8192);
        Memory mem = memory(registry);
        long data = onStack(mem, 32, filled(20, 9));
        assertEquals(0, r.output(mem, data, 20, RingBufMap.FORCE_WAKEUP));
        assertArrayEquals(filled(20, 9), r.poll().orElseThrow());
    }

    @Test
    void queryReportsPositionsAndSize() {
        RingBufMap r = ring(8192);
        assertEquals(8192, r.query(RingBufMap.RING_SIZE));
        long a = r.reserve(12, 0);
        assertEquals(24, r.query(RingBufMap.PROD_POS));
        assertEquals(0, r.query(RingBufMap.CONS_POS));
        assertEquals(24, r.query(RingBufMap.AVAIL_DATA));
        r.submit(a, 0);
        r.drain();
        assertEquals(24, r.query(RingBufMap.CONS_POS));
        assertEquals(0, r.query(RingBufMap.AVAIL_DATA));
        assertEquals(0, r.query(99));
    }

    @Test
    void submittingTwiceOrAnArbitraryAddressFaults() {
        RingBufMap r = ring(4096);
        long a = r.reserve(8, 0);
        r.submit(a, 0);
        assertThrows(BpfFault.class, () -> r.submit(a, 0));
        assertThrows(BpfFault.class, () -> r.discard(a + 8, 0));
        assertThrows(BpfFault.class, () -> r.submit(Memory.stackTop(0) - 8, 0));
    }

    @Test
    void sizeMustBeAPowerOf2MultipleOfThePage() {
        for (int bad : List.of(0, 1000, 4095, 6144, 12288)) {
            assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> ring(bad)).errno(), "" + bad);
        }
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> registry.create(spec(MapType.RINGBUF, 4, 0, 4096))).errno());
    }

    @Test
    void concurrentProducersLoseNothing() throws Exception {
        RingBufMap r = ring(1 << 16);
        int threads = 4;
        int each = 5_000;
        Thread[] ts = new Thread[threads];
        java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
        long[] sums = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                Memory mem = memory(registry);
                for (int i = 0; i < each; i++) {
                    long at;
                    while ((at = r.reserve(16, 0)) == 0) {
                        Thread.onSpinWait();
                    }
                    mem.store64(at, id);
                    mem.store64(at + 8, i);
                    r.submit(at, 0);
                }
            });
            ts[t].start();
        }
        long[] next = new long[threads];
        long total = 0;
        while (total < (long) threads * each) {
            var rec = r.poll();
            if (rec.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            int id = (int) asU64(java.util.Arrays.copyOf(rec.get(), 8));
            long i = asU64(java.util.Arrays.copyOfRange(rec.get(), 8, 16));
            assertEquals(next[id]++, i, "each producer's records in order");
            sums[id] += i;
            total++;
        }
        for (Thread t : ts) {
            t.join();
        }
        consumed.set(total);
        assertEquals((long) threads * each, consumed.get());
        assertTrue(r.poll().isEmpty());
    }
}
