package org.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @BeforeAll
    static void home() {
        // tests run in cli/; the bundled examples are one level up
        System.setProperty("bpf4j.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    @Test
    void execWithoutArgumentsRunsTheBundledPortFilterOverTheBundledFrames() {
        Cli r = Cli.run("exec");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*tcp-http\\.hex\\s+54 bytes\\s+r0 = 0x1 \\(1\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*tcp-https\\.hex\\s+54 bytes\\s+r0 = 0x2 \\(2\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*tcp-http-truncated\\.hex\\s+36 bytes\\s+r0 = 0x2 \\(2\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*arp-request\\.hex\\s+42 bytes\\s+r0 = 0x2 \\(2\\).*"), r.out());
    }

    @Test
    void asmWritesBytecodeThatObjdumpDisassemblesAndExecRuns(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("portfilter.bin");
        Cli asm = Cli.run("asm", "../examples/asm/portfilter.asm", "-o", bin.toString());
        assertEquals(0, asm.status(), asm.err());
        assertEquals(17 * 8, Files.size(bin));

        Cli dump = Cli.run("objdump", bin.toString());
        assertEquals(0, dump.status(), dump.err());
        assertTrue(dump.out().contains("r0 = 0x2"), dump.out());
        assertTrue(dump.out().contains("exit"), dump.out());

        // the conformance-syntax listing assembles back to the same bytes
        Cli conf = Cli.run("objdump", "--syntax", "conformance", bin.toString());
        Path again = dir.resolve("again.asm");
        Files.writeString(again, conf.out().replaceAll("(?m)^\\s*\\d+:\\t[0-9a-f ]+\\t", ""));
        Path bin2 = dir.resolve("again.bin");
        Cli asm2 = Cli.run("asm", again.toString(), "-o", bin2.toString(), "--syntax", "conformance");
        assertEquals(0, asm2.status(), asm2.err() + conf.out());
        assertArrayEquals(Files.readAllBytes(bin), Files.readAllBytes(bin2));

        Cli exec = Cli.run("exec", bin.toString(), "--mem", "../examples/packets/tcp-http.hex");
        assertEquals(0, exec.status(), exec.err());
        assertTrue(exec.out().contains("r0 = 0x1 (1)"), exec.out());
    }

    @Test
    void conformancePluginPrintsR0InHexForAProgramOnStandardInput() {
        // mov r0, 42 ; exit
        Cli r = Cli.runWithInput("b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00\n", "conformance-plugin", "");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("2a", r.out().strip());
    }

    @Test
    void conformancePluginPassesTheMemoryInR1AndItsLengthInR2() {
        // ldxb r0, [r1+1] ; add r0, r2 ; exit   with memory 05 07 09 -> 7 + 3
        Cli r = Cli.runWithInput("71 10 01 00 00 00 00 00  0f 20 00 00 00 00 00 00  95 00 00 00 00 00 00 00",
                "conformance-plugin", "05  07  09  ", "");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("a", r.out().strip());
    }

    @Test
    void conformancePluginReportsAnInvalidProgramOnStdoutWithStatus1() {
        Cli r = Cli.runWithInput("95 01 00 00 00 00 00 00", "conformance-plugin", "");
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("instruction 0: dst must be 0"), r.out());
    }

    @Test
    void conformancePluginAcceptsItsOptionsAsOneArgument() {
        // ja -1: an endless loop, stopped by the budget
        Cli r = Cli.runWithInput("05 00 ff ff 00 00 00 00 95 00 00 00 00 00 00 00", "conformance-plugin", "",
                "--budget 1000");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("budget exhausted"), r.out());
    }

    @Test
    void conformanceCommandPassesTheWholeSuite() {
        String dir = System.getProperty("bpf4j.conformance.dir", "../../shared/bpf-conformance") + "/tests";
        Cli r = Cli.run("conformance", dir);
        assertEquals(0, r.status(), r.out());
        assertEquals("313 passed, 0 failed", r.out().strip());
    }

    @Test
    void aMissingFileIsOneLineOnStderrAndStatus1() {
        Cli r = Cli.run("asm", "/no/such/file.asm");
        assertEquals(1, r.status());
        assertEquals("bpf4j asm: no such file: /no/such/file.asm", r.err().strip());
    }

    @Test
    void anAssemblyErrorNamesTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.asm");
        Files.writeString(f, "mov %r0, 1\nor %r0, %r50\nexit\n");
        Cli r = Cli.run("asm", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("bpf4j asm: line 2: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aFaultNamesTheInstructionAndTheAddress(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("null.asm");
        Files.writeString(f, "mov %r1, 0\nldxw %r0, [%r1+4]\nexit\n");
        Cli r = Cli.run("exec", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("bpf4j exec: fault at instruction 1 (w0 = *(u32 *)(r1 + 0x4)): read of 4 bytes at 0x4 (a null pointer)"),
                r.err());
    }

    @Test
    void unknownOptionsAreAUsageError() {
        Cli r = Cli.run("objdump", "--frobnicate", "x");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
    }

    @Test
    void helpListsEveryCommand() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.status());
        for (String c : new String[] {"asm", "objdump", "exec", "conformance", "conformance-plugin"}) {
            assertTrue(r.out().contains("  " + c), c + " missing from\n" + r.out());
        }
    }
}
