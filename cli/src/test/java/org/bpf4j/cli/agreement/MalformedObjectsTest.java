package org.bpf4j.cli.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bpf4j.core.api.Backend;
import org.bpf4j.core.api.BpfCollection;
import org.bpf4j.core.elf.ObjectFormatException;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.elf.UnsupportedFeatureException;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.kernel.VerifierException;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.runtime.LoadException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both backends refuse the same malformed objects, with messages that say why. Where core's ObjectReader already
 * refuses the bytes, neither backend ever sees an object (both take a {@link BpfObject}), so the reader's refusal
 * is both backends' refusal; libbpf's loader ({@code bpftool prog load}) is asked too, as the kernel side's own
 * toolchain, to show that the object is really unloadable and not just unreadable to bpf4j.
 *
 * <p>The objects: small C programs in src/test/resources/agreement (see their comments), and copies of
 * malformed_base.o whose one relocation (R_BPF_64_64 on the lddw of map {@code hits}, instruction 7) is patched.
 */
class MalformedObjectsTest {
    /** The C sources, Makefile and objects of the agreement tests. */
    static final Path DIR = Agreement.ROOT.resolve("cli/src/test/resources/agreement");

    @TempDir
    Path tmp;

    @BeforeEach
    void kernel() {
        Agreement.assumeKernel();
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(DIR.resolve(name + ".o"));
    }

    @Test
    void theUnpatchedBaseLoadsInBoth() throws IOException {
        BpfObject obj = ObjectReader.read(DIR.resolve("malformed_base.o"));
        try (BpfCollection u = Backend.userspace().load(obj); BpfCollection k = Backend.kernel().load(obj)) {
            byte[] frame = EdgeFrames.eth(0x0800, EdgeFrames.ipv4(17, EdgeFrames.udp(53)));
            assertEquals(2, u.program("base").orElseThrow().run(frame).retval());
            assertEquals(2, k.program("base").orElseThrow().run(frame).retval());
        }
        assertEquals(0, bpftoolLoad(bytes("malformed_base")).status(), "libbpf loads the base object");
    }

    // ---- patched relocations

    /** Where the one relocation of malformed_base.o's section .relxdp lies in the file. */
    static int relocation(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a)), shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
        long strtab = b.getLong((int) (shoff + (long) shstrndx * shentsize + 24));
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            int nameAt = (int) strtab + b.getInt(h);
            int end = nameAt;
            while (elf[end] != 0) {
                end++;
            }
            String name = new String(elf, nameAt, end - nameAt, StandardCharsets.US_ASCII);
            if (name.equals(".relxdp")) {
                assertEquals(16, b.getLong(h + 32), ".relxdp holds one relocation");
                return (int) b.getLong(h + 24);
            }
        }
        throw new AssertionError("malformed_base.o has no .relxdp: rebuild it with the Makefile");
    }

    static byte[] patched(Consumer<ByteBuffer> patch) throws IOException {
        byte[] elf = bytes("malformed_base");
        int at = relocation(elf);
        ByteBuffer rel = ByteBuffer.wrap(elf, at, 16).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7 * 8, rel.getLong(0), "the relocation is on instruction 7, the lddw of map hits");
        assertEquals(1, rel.getInt(8), "R_BPF_64_64");
        patch.accept(rel);
        return elf;
    }

    /** Both backends refuse: the reader does (with {@code expected} in its message), and libbpf refuses too. */
    void refusedByTheReaderAndLibbpf(String name, byte[] elf, Class<? extends RuntimeException> type, String expected)
            throws IOException {
        RuntimeException e = assertThrows(type, () -> ObjectReader.read(name, elf));
        assertTrue(e.getMessage().startsWith(name + ": ") && e.getMessage().contains(expected), e.getMessage());
        Bpftool b = bpftoolLoad(elf);
        assertTrue(b.status() != 0, "libbpf should refuse " + name + " too, but loaded it: " + b.output());
        System.out.println(name + ": bpf4j: " + e.getMessage() + "\n  libbpf: " + b.output().strip().replace("\n", "\n  libbpf: "));
    }

    @Test
    void aRelocationOnAnInstructionThatIsNoLddw() throws IOException {
        // r_offset 0x38 -> 0x30: instruction 6, "r2 += -4"
        byte[] elf = patched(rel -> rel.putLong(0, 6 * 8));
        refusedByTheReaderAndLibbpf("reloc_on_alu.o", elf, ObjectFormatException.class,
                "section xdp, instruction 6: relocation against symbol 'hits' (R_BPF_64_64) is on opcode 0x07, not on"
                        + " a lddw");
    }

    @Test
    void aRelocationWhoseSymbolIndexIsOutOfRange() throws IOException {
        byte[] elf = patched(rel -> rel.putInt(12, 0x7fff));
        refusedByTheReaderAndLibbpf("bad_symbol.o", elf, ObjectFormatException.class, "symbol index 32767 is out of range");
    }

    @Test
    void aRelocationOutsideTheCode() throws IOException {
        byte[] elf = patched(rel -> rel.putLong(0, 0x78));
        refusedByTheReaderAndLibbpf("reloc_outside.o", elf, ObjectFormatException.class, "points outside the code");
    }

    @Test
    void aRelocationBetweenInstructions() throws IOException {
        byte[] elf = patched(rel -> rel.putLong(0, 7 * 8 + 4));
        refusedByTheReaderAndLibbpf("reloc_unaligned.o", elf, ObjectFormatException.class,
                "not on an instruction boundary");
    }

    /**
     * Only bpf4j refuses this one: libbpf does not look at a relocation's type (it goes by the instruction: a
     * lddw against a map symbol is a map relocation, whatever the type says), so {@code bpftool prog load} loads
     * it. bpf4j's reader insists on R_BPF_64_64 for a lddw, as clang writes it; both bpf4j backends refuse.
     */
    @Test
    void aCallRelocationOnALddw() throws IOException {
        byte[] elf = patched(rel -> rel.putInt(8, 10)); // R_BPF_64_32
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ObjectReader.read("x.o", elf));
        assertTrue(e.getMessage().contains("(R_BPF_64_32) is on opcode 0x18, not on a call"), e.getMessage());
        Bpftool b = bpftoolLoad(elf);
        assertEquals(0, b.status(), "libbpf ignores the relocation type (if it now refuses, both refuse: fine, "
                + "update this test): " + b.output());
    }

    // ---- compiled

    @Test
    void aProgramUsingAMapTheObjectDoesNotDefine() throws IOException {
        // the map is an extern: a lddw relocated against an undefined symbol
        refusedByTheReaderAndLibbpf("malformed_missing_map.o", bytes("malformed_missing_map"),
                UnsupportedFeatureException.class, "relocated against symbol 'counters'");
    }

    @Test
    void aProgramCallingAnUnknownHelper() throws IOException {
        BpfObject obj = ObjectReader.read(DIR.resolve("malformed_unknown_helper.o"));
        LoadException u = assertThrows(LoadException.class, () -> Backend.userspace().load(obj).close());
        assertTrue(u.getMessage().contains("#999") && u.getMessage().contains("unknown_helper"), u.getMessage());
        VerifierException k = assertThrows(VerifierException.class, () -> Backend.kernel().load(obj).close());
        assertTrue(k.getMessage().contains("invalid func unknown#999") && k.getMessage().contains("unknown_helper"),
                k.getMessage());
    }

    @Test
    void anArrayMapWithAnEightByteKey() throws IOException {
        BpfObject obj = ObjectReader.read(DIR.resolve("malformed_bad_map.o"));
        RuntimeException u = assertThrows(RuntimeException.class, () -> Backend.userspace().load(obj).close());
        assertTrue(u.getMessage().contains("wide_keys"), u.getMessage());
        BpfSyscallException k = assertThrows(BpfSyscallException.class, () -> Backend.kernel().load(obj).close());
        assertEquals(org.bpf4j.core.api.Errno.EINVAL, k.errno(), k.getMessage());
        assertTrue(k.getMessage().contains("wide_keys"), k.getMessage());
    }

    /**
     * Not malformed, but unverifiable: a packet read without a bounds check. The kernel's verifier refuses it;
     * bpf4j has no verifier, so user space loads it. Reported as a skip (ONLY THE KERNEL REFUSES) rather than
     * failed: a verifier is no bug fix.
     */
    @Test
    void anUncheckedPacketReadIsRefusedByTheVerifier() throws IOException {
        BpfObject obj = ObjectReader.read(DIR.resolve("unverifiable_packet_read.o"));
        VerifierException k = assertThrows(VerifierException.class, () -> Backend.kernel().load(obj).close());
        assertTrue(k.getMessage().contains("invalid access to packet"), k.getMessage());
        String user;
        try (BpfCollection u = Backend.userspace().load(obj)) {
            byte[] frame = EdgeFrames.eth(0x0800, EdgeFrames.ipv4(17, EdgeFrames.udp(53)));
            try {
                user = "it loads, and a run on a " + frame.length + "-byte frame (read at byte 100) gives "
                        + u.program("unchecked").orElseThrow().run(frame).retval();
            } catch (RuntimeException e) {
                user = "it loads, and a run on a " + frame.length + "-byte frame (read at byte 100) throws " + e;
            }
        } catch (RuntimeException e) {
            return; // user space refuses it too
        }
        assumeTrue(false, "ONLY THE KERNEL REFUSES (bpf4j has no verifier): " + user);
    }

    // ---- bpftool

    record Bpftool(int status, String output) {}

    /** {@code bpftool prog load} of the bytes: libbpf's loader; a pin that it makes is removed. */
    Bpftool bpftoolLoad(byte[] elf) throws IOException {
        org.bpf4j.kernel.sys.BpfFs.ensureMounted();
        Path file = Files.write(tmp.resolve("object-" + System.nanoTime() + ".o"), elf);
        Path pin = Path.of("/sys/fs/bpf/bpf4j-agreement-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(List.of("bpftool", "prog", "load", file.toString(), pin.toString()))
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            assumeTrue(false, "bpftool is not on the PATH: " + e.getMessage());
            return null;
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("bpftool did not finish in 60 s");
            }
            return new Bpftool(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(pin);
        }
    }
}
