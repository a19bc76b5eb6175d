package org.bpf4j.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfFs;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.MapCreate;

/** What the kernel tests share: the capability check, the examples, bpftool, and a pin directory per test. */
public final class KernelSupport {
    private KernelSupport() {}

    /** CAP_SYS_ADMIN (21) or CAP_BPF (39) in the effective set. */
    static boolean hasCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (caps & (1L << 39)) != 0 || (caps & (1L << 21)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static volatile String unavailable;

    /** Skips the test (with the reason) unless this process may use bpf(2): root with CAP_BPF or CAP_SYS_ADMIN. */
    public static void assumeKernel() {
        String why = unavailable;
        if (why == null) {
            why = probe();
            unavailable = why;
        }
        assumeTrue(why.isEmpty(), why);
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "the kernel backend needs Linux (this is " + System.getProperty("os.name") + ")";
        }
        if (!hasCapabilities()) {
            return "the kernel tests need root with CAP_BPF (or CAP_SYS_ADMIN); this process has neither";
        }
        try (Fd fd = Bpf.mapCreate(MapCreate.of(2, 4, 4, 1, 0).withName("bpf4j_probe"))) {
            return "";
        } catch (BpfSyscallException e) {
            return "bpf(2) is not usable here (" + e.getMessage() + ")";
        }
    }

    static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/obj"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
    }

    static BpfObject example(String name) throws IOException {
        return ObjectReader.read(examples().resolve("obj/" + name + ".o"));
    }

    static BpfObject resource(String name) throws IOException {
        try (var in = KernelSupport.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return ObjectReader.read(name, in.readAllBytes());
        }
    }

    /** A fresh directory name under /sys/fs/bpf (not created). */
    static Path pinDir(String what) {
        BpfFs.ensureMounted();
        return BpfFs.DEFAULT.resolve("bpf4j-test-" + what + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
    }

    /** Removes a pin directory and whatever is in it. */
    static void removeAll(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** True when bpftool is on the PATH. */
    static boolean hasBpftool() {
        try {
            return run("bpftool", "version").status() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    record Output(int status, String out, String err) {}

    /** Runs a command (bpftool, to cross-check), with a time limit. */
    static Output run(String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(false).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Output(p.exitValue(), new String(out), new String(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static List<String> exampleNames() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(examples().resolve("obj"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".o")).sorted()
                    .forEach(n -> out.add(n.substring(0, n.length() - 2)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** A frame from examples/packets (hex bytes separated by white space). */
    static byte[] frame(String name) throws IOException {
        String[] hex = Files.readString(examples().resolve("packets/" + name + ".hex")).strip().split("\\s+");
        byte[] out = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
            out[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        return out;
    }

    /** A copy of a TCP or UDP frame (Ethernet, IPv4 without options) with another destination port. */
    static byte[] withDestinationPort(byte[] frame, int port) {
        byte[] f = frame.clone();
        int l4 = 14 + (f[14] & 0xf) * 4;
        f[l4 + 2] = (byte) (port >> 8);
        f[l4 + 3] = (byte) port;
        return f;
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static long u64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xffL);
        }
        return v;
    }

    /** bpftool's JSON without the BTF-formatted members it adds for maps with BTF (compact JSON only). */
    static String withoutFormatted(String json) {
        String marker = ",\"formatted\":";
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int i; (i = json.indexOf(marker, at)) >= 0; ) {
            out.append(json, at, i);
            int k = i + marker.length();
            int depth = 0;
            boolean string = false;
            for (; k < json.length(); k++) {
                char c = json.charAt(k);
                if (string) {
                    if (c == '\\') {
                        k++;
                    } else if (c == '"') {
                        string = false;
                    }
                } else if (c == '"') {
                    string = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
            }
            at = k;
        }
        return out.append(json.substring(at)).toString();
    }
}
