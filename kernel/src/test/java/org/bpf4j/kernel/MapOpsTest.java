package org.bpf4j.kernel;

import static org.bpf4j.kernel.KernelSupport.u32;
import static org.bpf4j.kernel.KernelSupport.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.MapCreate;
import org.bpf4j.kernel.sys.PossibleCpus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Element and batch operations on kernel maps, errno capture, and dumps compared with bpftool's. */
class MapOpsTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void kernel() {
        KernelSupport.assumeKernel();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private KernelMap create(MapType type, int key, int value, int max) {
        KernelMap m = KernelMap.create(MapSpec.of("bpf4j_t_" + type.bpftoolName(), type, key, value, max));
        open.add(m);
        return m;
    }

    @Test
    void hashMapElements() {
        KernelMap m = create(MapType.HASH, 4, 8, 16);
        assertTrue(m.lookup(u32(1)).isEmpty());
        m.update(u32(1), u64(100));
        m.update(u32(2), u64(200), Bpf.NOEXIST);
        assertEquals(100, u64(m.lookup(u32(1)).orElseThrow(), 0));
        var exists = assertThrows(BpfSyscallException.class, () -> m.update(u32(2), u64(1), Bpf.NOEXIST));
        assertEquals(Errno.EEXIST, exists.errno());
        var missing = assertThrows(BpfSyscallException.class, () -> m.update(u32(3), u64(1), Bpf.EXIST));
        assertEquals(Errno.ENOENT, missing.errno());
        Set<Integer> keys = new HashSet<>();
        m.keys().forEach(k -> keys.add((int) u64(Arrays.copyOf(k, 8), 0)));
        assertEquals(Set.of(1, 2), keys);
        assertTrue(m.nextKey(null).isPresent());
        m.delete(u32(1));
        var gone = assertThrows(BpfSyscallException.class, () -> m.delete(u32(1)));
        assertEquals(Errno.ENOENT, gone.errno());
        assertEquals("ENOENT", gone.errnoName());
        assertTrue(gone.getMessage().startsWith("BPF_MAP_DELETE_ELEM (map 'bpf4j_t_hash', id " + m.id()
                + ") failed: ENOENT (errno 2, No such file or directory)"), gone.getMessage());
        assertEquals(200, u64(m.lookupAndDelete(u32(2)).orElseThrow(), 0));
        assertTrue(m.keys().isEmpty());
    }

    @Test
    void wrongSizesAreRefusedBeforeTheKernelReadsPastThem() {
        KernelMap m = create(MapType.HASH, 4, 8, 16);
        var e = assertThrows(BpfSyscallException.class, () -> m.lookup(new byte[3]));
        assertEquals(Errno.EINVAL, e.errno());
        assertThrows(BpfSyscallException.class, () -> m.update(u32(1), new byte[4]));
    }

    @Test
    void errnoIsCapturedFromTheSyscallItself() {
        // a missing key: ENOENT, straight from the syscall layer
        try (Fd fd = Bpf.mapCreate(MapCreate.of(MapType.HASH.id(), 4, 4, 4, 0).withName("bpf4j_errno"))) {
            var e = assertThrows(BpfSyscallException.class, () -> Bpf.mapDelete(fd.get(), u32(7)));
            assertEquals(Errno.ENOENT, e.errno());
            assertEquals("BPF_MAP_DELETE_ELEM", e.command());
        }
        // the same through the raw call: the errno the kernel set, read right after the syscall
        try (Fd fd = Bpf.mapCreate(MapCreate.of(MapType.HASH.id(), 4, 4, 4, 0).withName("bpf4j_errno"));
                java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var key = arena.allocate(4);
            var value = arena.allocate(8);
            var attr = org.bpf4j.kernel.sys.BpfAttr.allocate(arena, org.bpf4j.kernel.sys.BpfAttr.MAP_ELEM)
                    .u32("map_fd", fd.get()).ptr("key", key).ptr("value", value);
            var r = Bpf.tryCall(org.bpf4j.kernel.sys.BpfCommand.BPF_MAP_LOOKUP_ELEM, attr);
            assertTrue(r.failed());
            assertEquals(Errno.ENOENT, r.errno());
            assertTrue(Bpf.mapLookup(fd.get(), u32(9), 4, 0).isEmpty());
        }
        // absurd sizes: the kernel says E2BIG or EINVAL, and the message names the command
        var big = assertThrows(BpfSyscallException.class,
                () -> Bpf.mapCreate(MapCreate.of(MapType.HASH.id(), 1 << 20, 1 << 30, 1, 0).withName("bpf4j_big")));
        assertTrue(big.errno() == Errno.E2BIG || big.errno() == Errno.EINVAL, big.getMessage());
        assertTrue(big.getMessage().startsWith("BPF_MAP_CREATE (map 'bpf4j_big' (type 1, key 1048576B"),
                big.getMessage());
        var zero = assertThrows(BpfSyscallException.class,
                () -> Bpf.mapCreate(MapCreate.of(MapType.ARRAY.id(), 4, 8, 0, 0)));
        assertEquals(Errno.EINVAL, zero.errno());
        var badFd = assertThrows(BpfSyscallException.class, () -> Bpf.mapLookup(999_999, u32(0), 4, 0));
        assertEquals(Errno.EBADF, badFd.errno());
    }

    @Test
    void arraysHaveEveryIndexAndRefuseDeletes() {
        KernelMap m = create(MapType.ARRAY, 4, 8, 4);
        assertEquals(4, m.keys().size());
        assertEquals(0, u64(m.lookup(u32(3)).orElseThrow(), 0));
        assertTrue(m.lookup(u32(4)).isEmpty());
        var e = assertThrows(BpfSyscallException.class, () -> m.delete(u32(0)));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void perCpuValuesComeOnePerPossibleCpuRoundedToEightBytes() {
        int cpus = PossibleCpus.count();
        KernelMap m = create(MapType.PERCPU_HASH, 4, 4, 8);
        assertTrue(m.isPerCpu());
        assertEquals(cpus, m.cpus());
        assertEquals(8 * cpus, m.valueBytes());
        List<byte[]> values = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            values.add(u32(10 + c));
        }
        m.update(u32(1), m.join(values));
        List<byte[]> back = m.lookupPerCpu(u32(1)).orElseThrow();
        assertEquals(cpus, back.size());
        for (int c = 0; c < cpus; c++) {
            assertArrayEquals(u32(10 + c), back.get(c));
        }
        KernelMap arr = create(MapType.PERCPU_ARRAY, 4, 8, 2);
        assertEquals(cpus, arr.lookupPerCpu(u32(1)).orElseThrow().size());
    }

    @Test
    void batchesUpdateLookUpAndDelete() {
        KernelMap m = create(MapType.HASH, 4, 8, 300);
        List<byte[]> keys = new ArrayList<>(), values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(u32(i));
            values.add(u64(i * 3L));
        }
        assertEquals(200, m.updateBatch(keys, values, Bpf.ANY));
        List<KernelMap.Entry> all = m.lookupBatch(16);
        assertEquals(200, all.size());
        for (KernelMap.Entry e : all) {
            assertEquals(u64(Arrays.copyOf(e.key(), 8), 0) * 3, u64(e.value(), 0));
        }
        assertEquals(50, m.deleteBatch(keys.subList(0, 50)));
        assertEquals(150, m.keys().size());
        List<KernelMap.Entry> drained = m.lookupAndDeleteBatch();
        assertEquals(150, drained.size());
        assertTrue(m.keys().isEmpty());

        KernelMap arr = create(MapType.PERCPU_ARRAY, 4, 8, 10);
        List<byte[]> ak = new ArrayList<>(), av = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ak.add(u32(i));
            List<byte[]> perCpu = new ArrayList<>();
            for (int c = 0; c < arr.cpus(); c++) {
                perCpu.add(u64(i * 100L + c));
            }
            av.add(arr.join(perCpu));
        }
        assertEquals(10, arr.updateBatch(ak, av, Bpf.ANY));
        List<KernelMap.Entry> back = arr.lookupBatch(3);
        assertEquals(10, back.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(av.get(i), back.get(i).value());
        }
        var e = assertThrows(BpfSyscallException.class, arr::lookupAndDeleteBatch);
        assertTrue(e.errno() == Errno.EINVAL || e.errno() == Errno.ENOTSUPP || e.errno() == Errno.EOPNOTSUPP,
                e.getMessage());
    }

    @Test
    void frozenMapsRefuseUserSpaceWrites() {
        KernelMap m = create(MapType.ARRAY, 4, 4, 1);
        m.update(u32(0), u32(5));
        assertFalse(m.frozen());
        m.freeze();
        assertTrue(m.frozen());
        var e = assertThrows(BpfSyscallException.class, () -> m.update(u32(0), u32(6)));
        assertEquals(Errno.EPERM, e.errno());
        assertArrayEquals(u32(5), m.lookup(u32(0)).orElseThrow());
    }

    @Test
    void queuesPushPeekAndPop() {
        KernelMap q = create(MapType.QUEUE, 0, 4, 4);
        q.push(u32(1), 0);
        q.push(u32(2), 0);
        assertArrayEquals(u32(1), q.peek().orElseThrow());
        assertArrayEquals(u32(1), q.pop().orElseThrow());
        assertArrayEquals(u32(2), q.pop().orElseThrow());
        assertTrue(q.pop().isEmpty());
        assertEquals("[]\n", q.dumpJson());
    }

    @Test
    void dumpsAreWhatBpftoolPrints() throws Exception {
        assumeTrue(KernelSupport.hasBpftool(), "bpftool is not installed");
        KernelMap hash = create(MapType.HASH, 4, 3, 8);
        hash.update(u32(1), new byte[] {9, 8, 7});
        hash.update(u32(0x0a0b0c0d), new byte[] {0, 0, (byte) 0xff});
        KernelMap pc = create(MapType.PERCPU_ARRAY, 4, 12, 3);
        pc.update(u32(2), pc.join(java.util.Collections.nCopies(pc.cpus(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9,
                10, 11, 12})));
        for (KernelMap m : List.of(hash, pc, create(MapType.ARRAY, 4, 1, 2))) {
            KernelSupport.Output b = KernelSupport.run("bpftool", "-j", "map", "dump", "id", String.valueOf(m.id()));
            assertEquals(0, b.status(), b.err());
            assertEquals(b.out(), m.dumpJson(), "compact dump of " + m);
            KernelSupport.Output p = KernelSupport.run("bpftool", "-p", "map", "dump", "id", String.valueOf(m.id()));
            assertEquals(p.out(), m.dumpJson(true), "pretty dump of " + m);
        }
        // maps of an object, created with BTF: bpftool adds BTF-formatted members, the raw bytes are the same
        try (KernelObject k = KernelObject.load(KernelSupport.example("tailcall"))) {
            k.program("handle_ipv4").orElseThrow().testRun(KernelSupport.frame("tcp-http"), 3);
            for (KernelMap m : k.maps()) {
                KernelSupport.Output b = KernelSupport.run("bpftool", "-j", "map", "dump", "id", String.valueOf(m.id()));
                assertEquals(0, b.status(), b.err());
                assertEquals(KernelSupport.withoutFormatted(b.out()), m.dumpJson(), "dump of " + m);
            }
        }
    }
}
