package org.bpf4j.kernel;

import static org.bpf4j.kernel.KernelSupport.u32;
import static org.bpf4j.kernel.KernelSupport.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.kernel.sys.BpfFs;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pinning maps and programs in the bpf file system, and reading them back (also with bpftool). */
class PinTest {
    private Path dir;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeKernel();
        dir = KernelSupport.pinDir("pin");
    }

    @AfterEach
    void cleanUp() {
        KernelSupport.removeAll(dir);
    }

    @Test
    void theBpfFileSystemIsMounted() {
        BpfFs.ensureMounted();
        assertTrue(BpfFs.isMounted(BpfFs.DEFAULT));
        assertFalse(BpfFs.isMounted(Path.of("/proc")));
    }

    @Test
    void aPinnedMapOpensAgainAndBpftoolDumpsIt() throws Exception {
        Files.createDirectories(dir);
        Path at = dir.resolve("counts");
        try (KernelMap m = KernelMap.create(MapSpec.of("bpf4j_pinned", MapType.HASH, 4, 8, 8))) {
            m.update(u32(7), u64(49));
            m.pin(at);
        }
        // the descriptor is closed: the pin alone keeps the map
        try (KernelMap again = KernelMap.openPinned(at)) {
            assertEquals(49, u64(again.lookup(u32(7)).orElseThrow(), 0));
            assertEquals("bpf4j_pinned", again.name());
            again.update(u32(8), u64(64));
            if (KernelSupport.hasBpftool()) {
                KernelSupport.Output b = KernelSupport.run("bpftool", "-j", "map", "dump", "pinned", at.toString());
                assertEquals(0, b.status(), b.err());
                assertEquals(b.out(), again.dumpJson());
                assertTrue(b.out().contains("[\"0x31\",\"0x00\""), b.out());
            }
        }
        Files.delete(at);
        var e = assertThrows(BpfSyscallException.class, () -> KernelMap.openPinned(at));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("BPF_OBJ_GET (" + at + ") failed: ENOENT"), e.getMessage());
    }

    @Test
    void anObjectPinsEveryProgramAndMapByNameAndUnpins() throws Exception {
        assumeTrue(KernelSupport.hasBpftool(), "bpftool is not installed");
        try (KernelObject k = KernelObject.load(KernelSupport.example("globals"))) {
            List<Path> paths = k.pin(dir);
            assertEquals(java.util.Set.of(dir.resolve("globals"), dir.resolve("globals_rodata"),
                    dir.resolve("globals_bss"), dir.resolve("globals_data")), java.util.Set.copyOf(paths));
            assertEquals(paths, k.pinnedPaths());
            KernelSupport.Output show = KernelSupport.run("bpftool", "-j", "prog", "show", "pinned",
                    dir.resolve("globals").toString());
            assertEquals(0, show.status(), show.err());
            assertTrue(show.out().contains("\"id\":" + k.programs().getFirst().id()), show.out());
            KernelSupport.Output dump = KernelSupport.run("bpftool", "-j", "map", "dump", "pinned",
                    dir.resolve("globals_data").toString());
            assertEquals(0, dump.status(), dump.err());
            assertEquals(KernelSupport.withoutFormatted(dump.out()), k.map(".data").orElseThrow().dumpJson());
            k.unpin();
            assertFalse(Files.exists(dir), "the directory the object made is gone");
        }
    }

    @Test
    void mapsDeclaredPinByNameAreReused() throws Exception {
        Files.createDirectories(dir);
        MapSpec shared = new MapSpec("bpf4j_shared", MapType.ARRAY, 4, 8, 4, 0, MapSpec.Pinning.BY_NAME, null, null,
                null, 0, 0, MapSpec.Kind.BTF_DEFINED);
        var obj = new org.bpf4j.core.object.BpfObject("shared.o", List.of(), List.of(shared), "GPL",
                java.util.Optional.empty());
        var options = KernelObject.Options.defaults().withPinRoot(dir);
        int id;
        try (KernelObject first = KernelObject.load(obj, options)) {
            id = first.maps().getFirst().id();
            first.maps().getFirst().update(u32(1), u64(11));
            assertTrue(Files.exists(dir.resolve("bpf4j_shared")));
        }
        try (KernelObject second = KernelObject.load(obj, options)) {
            assertEquals(id, second.maps().getFirst().id());
            assertEquals(11, u64(second.maps().getFirst().lookup(u32(1)).orElseThrow(), 0));
        }
        MapSpec other = new MapSpec("bpf4j_shared", MapType.ARRAY, 4, 4, 4, 0, MapSpec.Pinning.BY_NAME, null, null,
                null, 0, 0, MapSpec.Kind.BTF_DEFINED);
        var clash = new org.bpf4j.core.object.BpfObject("clash.o", List.of(), List.of(other), "GPL",
                java.util.Optional.empty());
        var e = assertThrows(IllegalArgumentException.class, () -> KernelObject.load(clash, options));
        assertTrue(e.getMessage().contains("is pinned at"), e.getMessage());
    }
}
