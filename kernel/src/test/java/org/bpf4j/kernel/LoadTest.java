package org.bpf4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfCommand;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.MapInfo;
import org.bpf4j.kernel.sys.ProgInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example object loads into the kernel as the user-space backend loads it. */
class LoadTest {
    @BeforeEach
    void kernel() {
        KernelSupport.assumeKernel();
    }

    static List<String> loadable() {
        return KernelSupport.exampleNames().stream().filter(n -> !n.equals("fabric_learning")).toList();
    }

    @ParameterizedTest
    @MethodSource("loadable")
    void everyExampleLoadsWithItsBtfAndSourceLines(String name) throws Exception {
        BpfObject obj = KernelSupport.example(name);
        try (KernelObject k = KernelObject.load(obj)) {
            assertTrue(k.hasBtf(), "BTF of " + name + ": " + k.warnings());
            assertEquals(List.of(), k.warnings());
            assertEquals(obj.programs().size(), k.programs().size());
            assertEquals(obj.maps().size(), k.maps().size());
            for (ProgramSpec spec : obj.programs()) {
                KernelProgram p = k.program(spec.name()).orElseThrow();
                ProgInfo info = p.info();
                assertEquals(spec.type().kernelId(), info.type());
                assertEquals(Math.min(15, spec.name().length()), info.name().length());
                assertTrue(spec.name().startsWith(info.name()));
                assertTrue(info.gplCompatible());
                assertNotEquals(0, info.btfId());
                assertEquals(spec.functions().size(), info.funcInfoCount(), "func info of " + spec.name());
                assertTrue(info.lineInfoCount() > 0, "line info of " + spec.name());
                assertEquals(p.id(), info.id());
                // the program uses exactly the maps its code refers to
                for (int id : info.mapIds()) {
                    assertTrue(k.maps().stream().anyMatch(m -> m.id() == id), "map id " + id);
                }
            }
            for (KernelMap m : k.maps()) {
                MapInfo i = m.info();
                var spec = m.spec().orElseThrow();
                assertEquals(spec.type().id(), i.type());
                assertEquals(spec.keySize(), i.keySize());
                assertEquals(spec.valueSize(), i.valueSize());
                assertEquals(spec.maxEntries(), i.maxEntries());
            }
        }
    }

    @Test
    void theLoadedProgramsAreEnumeratedByIdAndOpenAgain() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("tailcall"))) {
            List<Integer> progIds = Bpf.ids(BpfCommand.BPF_PROG_GET_NEXT_ID);
            List<Integer> mapIds = Bpf.ids(BpfCommand.BPF_MAP_GET_NEXT_ID);
            for (KernelProgram p : k.programs()) {
                assertTrue(progIds.contains(p.id()), p + " not among " + progIds.size() + " program ids");
                try (KernelProgram again = KernelProgram.open(p.id())) {
                    assertEquals(p.info().tag(), again.info().tag());
                    assertEquals(p.info().name(), again.name());
                    assertEquals(ProgramType.XDP, again.type());
                }
            }
            for (KernelMap m : k.maps()) {
                assertTrue(mapIds.contains(m.id()));
                try (KernelMap again = KernelMap.open(m.id())) {
                    assertEquals(m.info(), again.info());
                }
            }
            // the dispatcher's program array holds the handlers, as the object initialises it
            KernelMap handlers = k.map("handlers").orElseThrow();
            assertEquals(k.program("handle_ipv4").orElseThrow().id(),
                    (int) KernelSupport.u64(java.util.Arrays.copyOf(handlers.lookup(KernelSupport.u32(0)).orElseThrow(), 8), 0));
            assertFalse(handlers.lookup(KernelSupport.u32(2)).isPresent());
        }
    }

    @Test
    void closingFreesWhatNothingElseHolds() throws Exception {
        int id;
        try (KernelObject k = KernelObject.load(KernelSupport.example("dropworld"))) {
            id = k.programs().getFirst().id();
        }
        var e = assertThrows(org.bpf4j.kernel.sys.BpfSyscallException.class, () -> Bpf.progFdById(id).close());
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("BPF_PROG_GET_FD_BY_ID (program id " + id + ") failed: ENOENT"),
                e.getMessage());
    }

    @Test
    void aBpfabricObjectNamesNoKernelProgramType() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> KernelObject.load(KernelSupport.example("fabric_learning")));
        assertTrue(e.getMessage().contains("program 'prog' in section .text has no kernel program type"),
                e.getMessage());
    }

    @Test
    void globalDataIsWrittenAndRodataFrozen() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("globals"))) {
            KernelMap rodata = k.map(".rodata").orElseThrow();
            assertEquals("globals.rodata", rodata.kernelName());
            assertTrue(rodata.frozen());
            assertEquals(1000, KernelSupport.u64(java.util.Arrays.copyOf(rodata.lookup(KernelSupport.u32(0)).orElseThrow(), 8), 0));
            var e = assertThrows(org.bpf4j.kernel.sys.BpfSyscallException.class,
                    () -> rodata.update(KernelSupport.u32(0), new byte[4]));
            assertEquals(Errno.EPERM, e.errno());
            KernelMap data = k.map(".data").orElseThrow();
            assertFalse(data.frozen());
            assertEquals(0x5eed, KernelSupport.u64(data.lookup(KernelSupport.u32(0)).orElseThrow(), 0));
            assertEquals("globals.bss", k.map(".bss").orElseThrow().kernelName());
        }
    }

    @Test
    void withoutBtfTheObjectStillLoads() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("protocount"),
                KernelObject.Options.defaults().withBtf(false))) {
            assertFalse(k.hasBtf());
            ProgInfo info = k.programs().getFirst().info();
            assertEquals(0, info.btfId());
            assertEquals(0, info.lineInfoCount());
            assertEquals(0, k.maps().getFirst().info().btfId());
        }
    }

    @Test
    void btfTheKernelRejectsIsLeftOutWithAWarning() throws Exception {
        BpfObject obj = KernelSupport.example("protocount");
        byte[] btf = obj.btf().orElseThrow();
        byte[] name = "protocount_map\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(btf, name);
        assertTrue(at > 0);
        btf[at + 10] = '-'; // "protocount-map": no C identifier, which the kernel's BTF checker refuses
        BpfObject broken = new BpfObject(obj.name(), obj.programs(), obj.maps(), obj.license(),
                java.util.Optional.of(btf));
        try (KernelObject k = KernelObject.load(broken)) {
            assertFalse(k.hasBtf());
            assertEquals(1, k.warnings().size(), k.warnings().toString());
            assertTrue(k.warnings().getFirst().startsWith("the kernel rejected the object's BTF (EINVAL: "),
                    k.warnings().getFirst());
            assertEquals(0, k.programs().getFirst().info().btfId());
            assertEquals(0, k.maps().getFirst().info().btfId());
            assertEquals(2, k.programs().getFirst().testRun(KernelSupport.frame("tcp-http"), 1).retval());
        }
    }

    @Test
    void mapBtfTypesTheKernelRefusesAreLeftOutWithAWarning() throws Exception {
        BpfObject obj = KernelSupport.example("protocount");
        org.bpf4j.core.object.MapSpec m = obj.maps().getFirst();
        // the 4-byte key type as the type of the 8-byte value: the kernel refuses the pair
        org.bpf4j.core.object.MapSpec wrong = new org.bpf4j.core.object.MapSpec(m.name(), m.type(), m.keySize(),
                m.valueSize(), m.maxEntries(), m.flags(), m.pinning(), m.innerMap(), m.initialData(),
                m.initialPrograms(), m.btfKeyTypeId(), m.btfKeyTypeId(), m.kind(), m.initialMaps());
        BpfObject odd = new BpfObject(obj.name(), obj.programs(), List.of(wrong), obj.license(), obj.btf());
        try (KernelObject k = KernelObject.load(odd)) {
            assertTrue(k.hasBtf());
            assertEquals(List.of("map 'protocount_map': the kernel refused its BTF key/value types (EINVAL); created"
                    + " without them"), k.warnings());
            assertEquals(0, k.maps().getFirst().info().btfId());
            assertTrue(k.programs().getFirst().info().lineInfoCount() > 0);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void mapsInMapsGetTheirInnerMaps() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.resource("map_in_map.o"))) {
            KernelMap outer = k.map("outer").orElseThrow();
            assertEquals("array_of_maps", outer.info().typeName());
            int a = k.map("inner_a").orElseThrow().id(), b = k.map("inner_b").orElseThrow().id();
            assertEquals(a, (int) KernelSupport.u64(java.util.Arrays.copyOf(outer.lookup(KernelSupport.u32(0)).orElseThrow(), 8), 0));
            assertEquals(b, (int) KernelSupport.u64(java.util.Arrays.copyOf(outer.lookup(KernelSupport.u32(1)).orElseThrow(), 8), 0));
            var r = k.program("map_in_map").orElseThrow().testRun(KernelSupport.frame("tcp-http"), 5);
            assertEquals(2, r.retval()); // XDP_PASS
            assertEquals(5, KernelSupport.u64(k.map("inner_b").orElseThrow().lookup(KernelSupport.u32(0)).orElseThrow(), 0));
            assertEquals(0, KernelSupport.u64(k.map("inner_a").orElseThrow().lookup(KernelSupport.u32(0)).orElseThrow(), 0));
        }
    }

    @Test
    void aSpinLockMapNeedsAndGetsItsBtf() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.resource("spin_lock.o"))) {
            KernelMap locked = k.map("locked").orElseThrow();
            assertNotEquals(0, locked.info().btfId());
            assertNotEquals(0, locked.info().btfValueTypeId());
            locked.update(KernelSupport.u32(0), new byte[16]);
            KernelProgram p = k.programs().getFirst();
            var r = p.testRun(KernelSupport.frame("tcp-http"), new byte[192], 3);
            assertEquals(0, r.retval()); // TC_ACT_OK
            assertEquals(0x77, r.ctxOut()[8] & 0xff); // __sk_buff.mark, at byte 8
            assertEquals(3, KernelSupport.u64(locked.lookup(KernelSupport.u32(0), Bpf.F_LOCK).orElseThrow(), 8));
        }
    }
}
