package org.bpf4j.runtime.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bpf4j.runtime.BpfFault;
import org.junit.jupiter.api.Test;

class MemoryTest {

    private static BpfFault fault(BpfFault.Kind kind, long address, Runnable access) {
        var f = assertThrows(BpfFault.class, access::run);
        assertEquals(kind, f.kind(), f::getMessage);
        assertEquals(address, f.address());
        assertTrue(f.getMessage().contains("0x" + Long.toHexString(address)), f::getMessage);
        assertEquals(-1, f.pc(), "memory knows no instruction; the engine adds it");
        return f;
    }

    // ---- layout

    @Test
    void stackFramesAreRegionsOneToEight() {
        var mem = new Memory();
        for (int d = 0; d < Memory.MAX_FRAMES; d++) {
            Region r = mem.region(Memory.FIRST_STACK_REGION + d);
            assertNotNull(r);
            assertEquals(Memory.STACK_SIZE, r.segment().byteSize());
            assertEquals(Memory.stackTop(d), r.end(), "the frame pointer is one past the frame");
            assertTrue(r.writable());
        }
        assertNull(mem.region(Memory.FIRST_STACK_REGION + Memory.MAX_FRAMES));
        assertNull(mem.region(Memory.LOW_REGION), "no low region until mapped");
        assertEquals(0x1_0000_0200L, Memory.stackTop(0));
    }

    @Test
    void lowRegionStartsAt0x1000() {
        var mem = new Memory();
        Region low = mem.mapLow("packet", Memory.allocate(100), true);
        assertEquals(0, low.id());
        assertEquals(0x1000, low.address(0));
        assertEquals(0x1000 + 100, low.end());
        mem.store8(0x1000, 0xab);
        assertEquals(0xab, low.segment().get(ValueLayout.JAVA_BYTE, 0) & 0xff);
        fault(BpfFault.Kind.OUT_OF_BOUNDS, 0xfff, () -> mem.load8(0xfff));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, 0, () -> mem.load8(0));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, 0x1000 + 100, () -> mem.load8(0x1000 + 100));
    }

    @Test
    void mapLowReplacesTheLowRegion() {
        var mem = new Memory();
        mem.mapLow("a", Memory.allocate(8), true);
        mem.mapLow("b", Memory.allocate(16), true);
        assertEquals("b", mem.region(0).name());
        mem.load64(0x1008);
    }

    @Test
    void mappedRegionsGetFreshIdsAboveTheFixedOnes() {
        var mem = new Memory();
        Region a = mem.map("a", Memory.allocate(8), true);
        Region b = mem.map("b", Memory.allocate(8), true);
        assertEquals(Memory.FIRST_FREE_REGION, a.id());
        assertEquals(Memory.FIRST_FREE_REGION + 1, b.id());
        assertEquals((long) a.id() << 32, a.address(0));
        assertEquals(a.address(0) + 5, a.address(5));
        mem.store64(a.address(0), 1);
        mem.store64(b.address(0), 2);
        assertEquals(1, mem.load64(a.address(0)));
        assertEquals(2, mem.load64(b.address(0)));
    }

    @Test
    void manyRegionsCanBeMapped() {
        var mem = new Memory();
        Region last = null;
        for (int i = 0; i < 100; i++) {
            last = mem.map("r" + i, Memory.allocate(8), true);
            mem.store64(last.address(0), i);
        }
        assertEquals(99, mem.load64(last.address(0)));
        assertEquals(Memory.FIRST_FREE_REGION + 99, last.id());
        assertEquals(0, mem.load64(mem.region(Memory.FIRST_FREE_REGION).address(0)));
    }

    @Test
    void unmappedRegionFaults() {
        var mem = new Memory();
        Region a = mem.map("a", Memory.allocate(8), true);
        mem.unmap(a.id());
        assertNull(mem.region(a.id()));
        var f = fault(BpfFault.Kind.OUT_OF_BOUNDS, a.address(0), () -> mem.load8(a.address(0)));
        assertTrue(f.getMessage().contains("outside any mapped region"), f::getMessage);
    }

    @Test
    void regionOfFindsTheRegionOfAnAddress() {
        var mem = new Memory();
        Region low = mem.mapLow("low", Memory.allocate(16), true);
        assertSame(low, mem.regionOf(0x1000));
        assertSame(low, mem.regionOf(0x100f));
        assertNull(mem.regionOf(0x1010));
        assertNull(mem.regionOf(0xfff));
        assertEquals("stack frame 0", mem.regionOf(Memory.stackTop(0) - 1).name());
        assertNull(mem.regionOf(Memory.stackTop(0)));
        assertNull(mem.regionOf(-1));
        assertNull(mem.regionOf(0x7fff_0000_0000_0000L));
    }

    @Test
    void regionMustFitItsWindow() {
        var seg = Memory.allocate(16);
        assertThrows(IllegalArgumentException.class, () -> new Region(20, "x", seg, (1L << 32) - 8, true));
        assertThrows(IllegalArgumentException.class, () -> new Region(20, "x", seg, -1, true));
        assertEquals((1L << 32) - 16, new Region(20, "x", seg, (1L << 32) - 16, true).base());
    }

    @Test
    void allocateIsZeroedAndEightByteAligned() {
        var seg = Memory.allocate(13);
        assertEquals(13, seg.byteSize());
        assertEquals(0, seg.maxByteAlignment() % 8);
        for (int i = 0; i < 13; i++) {
            assertEquals(0, seg.get(ValueLayout.JAVA_BYTE, i));
        }
        assertEquals(0, Memory.allocate(0).byteSize());
        assertThrows(IllegalArgumentException.class, () -> Memory.allocate(-1));
    }

    // ---- loads and stores

    @Test
    void accessesAreLittleEndian() {
        var mem = new Memory();
        long at = Memory.stackTop(0) - 8;
        mem.store64(at, 0x0102_0304_0506_0708L);
        assertEquals(0x08, mem.load8(at));
        assertEquals(0x0708, mem.load16(at));
        assertEquals(0x0506_0708, mem.load32(at));
        assertEquals(0x0102_0304, mem.load32(at + 4));
        assertEquals(0x0304_0506, mem.load32(at + 2), "unaligned plain access is fine");
    }

    @Test
    void loadsZeroExtend() {
        var mem = new Memory();
        long at = Memory.stackTop(0) - 8;
        mem.store64(at, -1);
        assertEquals(0xffL, mem.load8(at));
        assertEquals(0xffffL, mem.load16(at));
        assertEquals(0xffff_ffffL, mem.load32(at));
        assertEquals(-1L, mem.load64(at));
        assertEquals(0xffffL, mem.load(at, 2));
    }

    @Test
    void storesWriteOnlyTheirSize() {
        var mem = new Memory();
        long at = Memory.stackTop(0) - 8;
        mem.store64(at, 0);
        mem.store8(at, 0x1ff);
        mem.store16(at + 2, 0x12345);
        mem.store32(at + 4, 0x1_8765_4321L);
        assertEquals(0x8765_4321_2345_00ffL, mem.load64(at));
        mem.store(at, 1, 0xee);
        assertEquals(0xee, mem.load(at, 1));
        mem.store(at, 8, 7);
        assertEquals(7, mem.load(at, 8));
    }

    @Test
    void lastBytesOfARegionAreInBoundsAndOnePastIsNot() {
        var mem = new Memory();
        Region r = mem.map("data", Memory.allocate(16), true);
        mem.store64(r.address(8), 1);
        mem.store32(r.address(12), 1);
        mem.store16(r.address(14), 1);
        mem.store8(r.address(15), 1);
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(9), () -> mem.load64(r.address(9)));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(13), () -> mem.store32(r.address(13), 0));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(15), () -> mem.load16(r.address(15)));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(16), () -> mem.store8(r.address(16), 0));
        var f = fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(-1), () -> mem.load8(r.address(-1)));
        assertTrue(f.getMessage().contains("read of 1 bytes"), f::getMessage);
    }

    @Test
    void outOfBoundsMessageNamesTheRegionAndItsRange() {
        var mem = new Memory();
        Region r = mem.map("counters", Memory.allocate(16), true);
        var f = fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(16), () -> mem.store64(r.address(16), 0));
        assertTrue(f.getMessage().contains("write of 8 bytes"), f::getMessage);
        assertTrue(f.getMessage().contains("'counters'"), f::getMessage);
        assertTrue(f.getMessage().contains("0x" + Long.toHexString(r.start())), f::getMessage);
        assertTrue(f.getMessage().contains("0x" + Long.toHexString(r.end())), f::getMessage);
    }

    @Test
    void readOnlyRegionCanBeReadButNotWritten() {
        var mem = new Memory();
        var seg = Memory.allocate(8);
        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 42);
        Region r = mem.map("rodata", seg, false);
        assertEquals(42, mem.load64(r.address(0)));
        var f = fault(BpfFault.Kind.READ_ONLY, r.address(4), () -> mem.store8(r.address(4), 1));
        assertTrue(f.getMessage().contains("rodata"), f::getMessage);
        fault(BpfFault.Kind.READ_ONLY, r.address(0), () -> mem.atomic(r.address(0), 8, Memory.ATOMIC_ADD, 1));
        fault(BpfFault.Kind.READ_ONLY, r.address(0), () -> mem.compareAndExchange(r.address(0), 8, 42, 1));
        fault(BpfFault.Kind.READ_ONLY, r.address(0), () -> mem.write(r.address(0), new byte[2], 0, 2));
        assertEquals(42, mem.load64(r.address(0)));
    }

    @Test
    void outOfBoundsWinsOverReadOnly() {
        var mem = new Memory();
        Region r = mem.map("rodata", Memory.allocate(8), false);
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(8), () -> mem.store8(r.address(8), 1));
    }

    @Test
    void regionsSeeTheSegmentsTheyMap() {
        var mem = new Memory();
        var seg = MemorySegment.ofArray(new byte[] {1, 2, 3, 4});
        Region r = mem.map("bytes", seg, true);
        assertEquals(0x0403_0201, mem.load32(r.address(0)));
        mem.store8(r.address(3), 9);
        assertEquals(9, seg.get(ValueLayout.JAVA_BYTE, 3));
    }

    @Test
    void bulkReadAndWriteAreChecked() {
        var mem = new Memory();
        Region r = mem.map("data", Memory.allocate(8), true);
        mem.write(r.address(2), new byte[] {9, 8, 7, 6, 5}, 1, 3);
        byte[] out = new byte[8];
        mem.read(r.address(0), out, 0, 8);
        assertArrayEquals(new byte[] {0, 0, 8, 7, 6, 0, 0, 0}, out);
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(4), () -> mem.read(r.address(4), new byte[8], 0, 5));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, r.address(6), () -> mem.write(r.address(6), new byte[8], 0, 3));
    }

    @Test
    void clearStacksZeroesEveryFrame() {
        var mem = new Memory();
        for (int d = 0; d < Memory.MAX_FRAMES; d++) {
            mem.store64(Memory.stackTop(d) - 8, -1);
            mem.store8(Memory.stackTop(d) - Memory.STACK_SIZE, 1);
        }
        mem.clearStacks();
        for (int d = 0; d < Memory.MAX_FRAMES; d++) {
            assertEquals(0, mem.load64(Memory.stackTop(d) - 8));
            assertEquals(0, mem.load8(Memory.stackTop(d) - Memory.STACK_SIZE));
        }
    }

    @Test
    void highBitAddressesFault() {
        var mem = new Memory();
        fault(BpfFault.Kind.OUT_OF_BOUNDS, -8, () -> mem.load64(-8));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, Long.MIN_VALUE, () -> mem.store8(Long.MIN_VALUE, 0));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, 0x8000_0001_0000_0000L, () -> mem.load8(0x8000_0001_0000_0000L));
    }

    @Test
    void stackUnderflowDoesNotReachAnotherFrame() {
        var mem = new Memory();
        // one byte below frame 1 is not the top of frame 0
        long below = Memory.stackTop(1) - Memory.STACK_SIZE - 1;
        fault(BpfFault.Kind.OUT_OF_BOUNDS, below, () -> mem.load8(below));
    }

    // ---- atomics

    @Test
    void atomicOperationsReturnTheOldValue() {
        var mem = new Memory();
        long at = Memory.stackTop(0) - 8;
        mem.store64(at, 0b1100);
        assertEquals(0b1100, mem.atomic(at, 8, Memory.ATOMIC_ADD, 1));
        assertEquals(0b1101, mem.atomic(at, 8, Memory.ATOMIC_OR, 0b0010));
        assertEquals(0b1111, mem.atomic(at, 8, Memory.ATOMIC_AND, 0b0110));
        assertEquals(0b0110, mem.atomic(at, 8, Memory.ATOMIC_XOR, 0b0011));
        assertEquals(0b0101, mem.atomic(at, 8, Memory.ATOMIC_XCHG, -1));
        assertEquals(-1, mem.load64(at));
    }

    @Test
    void atomic32ReturnsZeroExtendedAndLeavesTheOtherHalf() {
        var mem = new Memory();
        long at = Memory.stackTop(0) - 8;
        mem.store64(at, 0x7777_7777_ffff_ffffL);
        assertEquals(0xffff_ffffL, mem.atomic(at, 4, Memory.ATOMIC_ADD, 2));
        assertEquals(0x7777_7777_0000_0001L, mem.load64(at));
        assertEquals(0x7777_7777L, mem.atomic(at + 4, 4, Memory.ATOMIC_XCHG, 0x8000_0000L));
        assertEquals(0x8000_0000_0000_0001L, mem.load64(at));
    }

    @Test
    void compareAndExchangeStoresOnlyOnMatch() {
        var mem = new Memory();
        long at = Memory.stackTop(0) - 8;
        mem.store64(at, 5);
        assertEquals(5, mem.compareAndExchange(at, 8, 4, 9));
        assertEquals(5, mem.load64(at));
        assertEquals(5, mem.compareAndExchange(at, 8, 5, 9));
        assertEquals(9, mem.load64(at));
        mem.store64(at, 0xaaaa_aaaa_ffff_fff0L);
        assertEquals(0xffff_fff0L, mem.compareAndExchange(at, 4, 0xffff_fff0L, 1));
        assertEquals(0xaaaa_aaaa_0000_0001L, mem.load64(at));
        assertEquals(1, mem.compareAndExchange(at, 4, 2, 3));
        assertEquals(0xaaaa_aaaa_0000_0001L, mem.load64(at));
    }

    @Test
    void atomicsMustBeNaturallyAligned() {
        var mem = new Memory();
        long top = Memory.stackTop(0);
        fault(BpfFault.Kind.MISALIGNED, top - 6, () -> mem.atomic(top - 6, 4, Memory.ATOMIC_ADD, 1));
        fault(BpfFault.Kind.MISALIGNED, top - 12, () -> mem.atomic(top - 12, 8, Memory.ATOMIC_ADD, 1));
        fault(BpfFault.Kind.MISALIGNED, top - 15, () -> mem.compareAndExchange(top - 15, 8, 0, 1));
        mem.atomic(top - 12, 4, Memory.ATOMIC_ADD, 1);
        Region low = mem.mapLow("low", Memory.allocate(16), true);
        mem.atomic(low.address(8), 8, Memory.ATOMIC_ADD, 1);
        fault(BpfFault.Kind.MISALIGNED, low.address(2), () -> mem.atomic(low.address(2), 4, Memory.ATOMIC_OR, 1));
    }

    @Test
    void atomicOutOfBoundsIsOutOfBounds() {
        var mem = new Memory();
        long top = Memory.stackTop(0);
        fault(BpfFault.Kind.OUT_OF_BOUNDS, top, () -> mem.atomic(top, 8, Memory.ATOMIC_ADD, 1));
        fault(BpfFault.Kind.OUT_OF_BOUNDS, top - 4, () -> mem.atomic(top - 4, 8, Memory.ATOMIC_ADD, 1));
    }

    @Test
    void atomicsAreAtomicAcrossThreads() throws InterruptedException {
        var shared = Memory.allocate(16);
        int threads = 4, each = 20_000;
        Thread[] ts = new Thread[threads];
        long[] addresses = new long[threads];
        for (int t = 0; t < threads; t++) {
            var mem = new Memory();
            Region r = mem.map("shared", shared, true);
            addresses[t] = r.address(8);
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    mem.atomic(addresses[id], 8, Memory.ATOMIC_ADD, 1);
                    mem.atomic(addresses[id] - 8, 4, Memory.ATOMIC_ADD, 1);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals((long) threads * each, shared.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
        assertEquals(threads * each, shared.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
    }
}
