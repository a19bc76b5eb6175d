package org.bpf4j.cli.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bpf4j.cli.Main;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.MapCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bpf4j kernel ...}, run in process through the real command line. */
class KernelCommandTest {
    private Path pins;

    record Run(int status, String out, String err) {}

    /** Runs {@code bpf4j args...} with the command line Main configures. */
    static synchronized Run bpf4j(String... args) throws Exception {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Method m = Main.class.getDeclaredMethod("commandLine");
            m.setAccessible(true);
            int status = ((CommandLine) m.invoke(null)).execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assumeKernel() {
        String why;
        try (Fd fd = Bpf.mapCreate(MapCreate.of(2, 4, 4, 1, 0).withName("bpf4j_probe"))) {
            why = null;
        } catch (BpfSyscallException e) {
            why = "the kernel commands need root with CAP_BPF: " + e.getMessage();
        }
        assumeTrue(why == null, why);
    }

    static String examples(String path) {
        return Path.of("..", "examples", path).toAbsolutePath().normalize().toString();
    }

    static boolean hasBpftool() {
        try {
            return bpftool("version").status() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static Run bpftool(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bpftool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return new Run(p.exitValue(), out, err);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private Path pinDir() {
        pins = Path.of("/sys/fs/bpf", "bpf4j-cli-test-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xffffff));
        return pins;
    }

    @AfterEach
    void unpin() throws IOException {
        if (pins != null && Files.exists(pins)) {
            try (Stream<Path> s = Files.walk(pins)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void helpListsTheSubcommands() throws Exception {
        Run r = bpf4j("kernel", "--help");
        assertEquals(0, r.status(), r.err());
        for (String sub : List.of("load", "prog", "map", "test-run")) {
            assertTrue(r.out().contains("  " + sub + " "), r.out());
        }
        for (String[] help : List.of(new String[] {"kernel", "map", "update", "--help"},
                new String[] {"kernel", "prog", "list", "--help"}, new String[] {"kernel", "test-run", "--help"},
                new String[] {"kernel", "load", "--help"})) {
            Run h = bpf4j(help);
            assertEquals(0, h.status(), h.err());
            assertTrue(h.out().startsWith("Usage: bpf4j kernel "), h.out());
        }
    }

    @Test
    void bytesAreReadAsBpftoolReadsThem() {
        assertArrayEquals(new byte[] {1, 0, 10, 8}, KernelCli.bytes(List.of("0x01", "0", "10", "010"), 0, 4, "key",
                List.of()).bytes());
        assertArrayEquals(new byte[] {0x10, (byte) 0xff}, KernelCli.bytes(List.of("hex", "10", "ff", "value"), 0, 2,
                "key", List.of("value")).bytes());
        var e = assertThrows(KernelCli.UserError.class,
                () -> KernelCli.bytes(List.of("1", "2"), 0, 4, "key", List.of()));
        assertEquals("key expected 4 bytes got 2", e.getMessage());
        assertThrows(KernelCli.UserError.class, () -> KernelCli.parseByte("256", false, "key"));
        assertThrows(KernelCli.UserError.class, () -> KernelCli.parseByte("zz", false, "key"));
        assertEquals("01 02 03 04 05 06 07 08  09", KernelCli.hex(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }

    @Test
    void loadPinsShowsDumpsAndChangesMaps() throws Exception {
        assumeKernel();
        Path dir = pinDir();
        Run load = bpf4j("kernel", "load", examples("obj/tailcall.o"), "--pin", dir.toString());
        assertEquals(0, load.status(), load.err());
        assertTrue(load.out().contains("pinned 5 objects under " + dir), load.out());
        for (String n : List.of("dispatch", "handle_ipv4", "handle_ipv6", "handlers", "tailcall_stats")) {
            assertTrue(Files.exists(dir.resolve(n)), n);
        }
        Matcher id = Pattern.compile("program dispatch\\s+xdp\\s+id (\\d+)").matcher(load.out());
        assertTrue(id.find(), load.out());
        String progId = id.group(1);

        Run list = bpf4j("kernel", "prog", "list");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains(progId + ": xdp  name dispatch  tag "), list.out());
        Run show = bpf4j("kernel", "prog", "show", "-j", "pinned", dir.resolve("dispatch").toString());
        assertEquals(0, show.status(), show.err());
        assertTrue(show.out().startsWith("{\"id\":" + progId + ",\"type\":\"xdp\",\"name\":\"dispatch\""), show.out());
        Run byId = bpf4j("kernel", "prog", "show", "id", progId);
        assertTrue(byId.out().startsWith(progId + ": xdp  name dispatch"), byId.out());

        String stats = dir.resolve("tailcall_stats").toString();
        Run update = bpf4j("kernel", "map", "update", "pinned", stats, "key", "1", "0", "0", "0", "value", "0x2a",
                "0", "0", "0", "0", "0", "0", "0", "exist");
        assertEquals(0, update.status(), update.err());
        Run lookup = bpf4j("kernel", "map", "lookup", stats, "key", "hex", "01", "00", "00", "00");
        assertEquals("key: 01 00 00 00  value: 2a 00 00 00 00 00 00 00\n", lookup.out());
        Run dump = bpf4j("kernel", "map", "dump", "-j", stats);
        assertEquals(0, dump.status(), dump.err());
        if (hasBpftool()) {
            Run real = bpftool("-j", "map", "dump", "pinned", stats);
            assertEquals(0, real.status(), real.err());
            assertEquals(withoutFormatted(real.out()), dump.out());
            Run progs = bpf4j("kernel", "map", "dump", "-p", dir.resolve("handlers").toString());
            Run realProgs = bpftool("-p", "map", "dump", "pinned", dir.resolve("handlers").toString());
            assertTrue(realProgs.out().contains("\"key\": [\"0x00\",\"0x00\",\"0x00\",\"0x00\""), realProgs.out());
            assertEquals(progs.out().lines().filter(l -> l.contains("key")).toList(),
                    realProgs.out().lines().filter(l -> l.contains("key")).toList());
        }
        Run plain = bpf4j("kernel", "map", "dump", stats);
        assertTrue(plain.out().endsWith("Found 2 elements\n"), plain.out());

        // errors: one line, exit status 1
        Run delete = bpf4j("kernel", "map", "delete", stats, "key", "1", "0", "0", "0");
        assertEquals(1, delete.status());
        assertTrue(delete.err().startsWith("bpf4j kernel map delete: BPF_MAP_DELETE_ELEM (map 'tailcall_stats', id "),
                delete.err());
        assertTrue(delete.err().endsWith("failed: EINVAL (errno 22, Invalid argument)\n"), delete.err());
        assertEquals(1, delete.err().lines().count());
        Run shortKey = bpf4j("kernel", "map", "lookup", stats, "key", "1", "0");
        assertEquals(1, shortKey.status());
        assertEquals("bpf4j kernel map lookup: key expected 4 bytes got 2\n", shortKey.err());
        Run missing = bpf4j("kernel", "map", "lookup", "id", "2147483647", "key", "1", "0", "0", "0");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("bpf4j kernel map lookup: BPF_MAP_GET_FD_BY_ID (map id 2147483647)"
                + " failed: ENOENT"), missing.err());
        Run list2 = bpf4j("kernel", "map", "list", "-j");
        assertEquals(0, list2.status(), list2.err());
        assertTrue(list2.out().contains("\"name\":\"tailcall_stats\""), list2.out());
    }

    static String withoutFormatted(String json) {
        // tailcall_stats has BTF: bpftool adds {"formatted":{"key":N,"value":N}} after each element's bytes
        return json.replaceAll(",\"formatted\":\\{\"key\":\\d+,\"value\":\\d+\\}", "");
    }

    @Test
    void aRejectedLoadIsOneLineWithTheSourceLine() throws Exception {
        assumeKernel();
        Path bad = Path.of("..", "kernel", "src", "test", "resources", "bad_access.o");
        Run r = bpf4j("kernel", "load", bad.toString());
        assertEquals(1, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("bpf4j kernel load: BPF_PROG_LOAD (program 'bad_access' in section xdp, xdp)"
                + " failed: EACCES"), r.err());
        assertTrue(r.err().contains("bad_access.c:12"), r.err());
        Run withLog = bpf4j("kernel", "load", "--log", bad.toString());
        assertTrue(withLog.err().contains("invalid access to packet"), withLog.err());
        assertTrue(withLog.err().lines().count() > 3);
        Run fabric = bpf4j("kernel", "load", examples("obj/fabric_learning.o"));
        assertEquals(1, fabric.status());
        assertTrue(fabric.err().contains("has no kernel program type"), fabric.err());
    }

    @Test
    void testRunCountsActionsOverACapture() throws Exception {
        assumeKernel();
        Run r = bpf4j("kernel", "test-run", examples("obj/portfilter.o"), "--pcap", examples("captures/mixed.pcap"),
                "--repeat", "3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*\\n  drop\\s+74\\s+5320 .*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  pass\\s+221\\s+.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  total\\s+297\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  \\d+ ns per run \\(the kernel's average over 885 runs, 3 per packet\\)\\n"),
                r.out());
        // the two frames shorter than an Ethernet header: the kernel refuses to run them
        assertTrue(r.out().matches("(?s).*\\n  error \\(EINVAL\\)\\s+2\\s+.*"), r.out());
        Run tc = bpf4j("kernel", "test-run", examples("obj/tailcall.o"), "--program", "dispatch", "--pcap",
                examples("captures/mixed.pcap"));
        assertEquals(0, tc.status(), tc.err());
        assertTrue(tc.out().contains("program dispatch (xdp"), tc.out());
        Run noSuch = bpf4j("kernel", "test-run", examples("obj/tailcall.o"), "--program", "nope", "--pcap",
                examples("captures/mixed.pcap"));
        assertEquals(1, noSuch.status());
        assertEquals("bpf4j kernel test-run: no program nope in the object (it has handle_ipv4, handle_ipv6,"
                + " dispatch)\n", noSuch.err());
        assertFalse(noSuch.out().contains("total"));
    }
}
