package org.bpf4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpf4j.core.object.BpfObject;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfCommand;
import org.bpf4j.core.api.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A program the verifier refuses: the failure carries the log, the errno and the C source line. */
class VerifierTest {
    @BeforeEach
    void kernel() {
        KernelSupport.assumeKernel();
    }

    @Test
    void aRejectionNamesTheCommandTheErrnoTheLogAndTheSourceLine() throws Exception {
        BpfObject bad = KernelSupport.resource("bad_access.o");
        VerifierException e = assertThrows(VerifierException.class, () -> KernelObject.load(bad));
        assertEquals("BPF_PROG_LOAD", e.command());
        assertEquals(Errno.EACCES, e.errno());
        assertEquals("bad_access", e.program());
        assertTrue(e.log().contains("invalid access to packet"), e.log());
        // the kernel prints the C source from our line info next to the instructions
        assertTrue(e.log().contains("unsigned char first = data[12];"), e.log());
        assertTrue(e.instruction() >= 0, e.log());
        var line = e.sourceLine().orElseThrow();
        assertEquals(12, line.line());
        assertTrue(line.file().endsWith("bad_access.c"), line.file());
        String m = e.getMessage();
        assertTrue(m.startsWith("BPF_PROG_LOAD (program 'bad_access' in section xdp, xdp) failed: EACCES (errno 13, "
                + "Permission denied): verifier: "), m);
        assertTrue(m.contains("verifier: invalid access to packet, off=12 size=1"), m);
        assertTrue(m.contains("(at instruction 1, bad_access.c:12: unsigned char first = data[12];"), m);
        assertEquals(-1, m.indexOf('\n'), "one line: " + m);
    }

    @Test
    void aFailedLoadClosesTheMapsItCreated() {
        String name = "bpf4j_leak" + Long.toHexString(System.nanoTime() & 0xffff);
        // lddw r1, map 0 ; exit: returning without setting r0 is refused
        long[] code = {0x5118L, 0, 0x95L};
        var spec = new org.bpf4j.core.object.ProgramSpec("leaky", "xdp", org.bpf4j.core.object.ProgramType.XDP, code,
                "GPL", java.util.List.of(), java.util.List.of());
        var obj = new BpfObject("leaky.o", java.util.List.of(spec), java.util.List.of(
                org.bpf4j.core.object.MapSpec.of(name, org.bpf4j.core.object.MapType.HASH, 4, 8, 16)), "GPL",
                java.util.Optional.empty());
        VerifierException e = assertThrows(VerifierException.class, () -> KernelObject.load(obj));
        assertTrue(e.log().contains("R0 !read_ok"), e.log());
        for (int id : Bpf.ids(BpfCommand.BPF_MAP_GET_NEXT_ID)) {
            try (KernelMap m = KernelMap.open(id)) {
                assertTrue(!m.kernelName().equals(name), "map " + name + " (id " + id + ") outlived the failed load");
            } catch (org.bpf4j.kernel.sys.BpfSyscallException gone) {
                // freed between enumeration and opening
            }
        }
    }

    @Test
    void aTinyLogBufferGrowsUntilTheWholeLogFits() throws Exception {
        BpfObject bad = KernelSupport.resource("bad_access.o");
        VerifierException e = assertThrows(VerifierException.class,
                () -> KernelObject.load(bad, KernelObject.Options.defaults().withLog(1, 128)));
        assertTrue(e.log().contains("invalid access to packet"), e.log());
        assertTrue(e.log().length() > 128, e.log());
    }

    @Test
    void aVerboseLogOfAValidProgramIsKept() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("portfilter"),
                KernelObject.Options.defaults().withLog(2, 256))) {
            String log = k.programs().getFirst().verifierLog();
            assertTrue(log.contains("processed"), log);
            assertTrue(log.length() > 256);
        }
    }
}
