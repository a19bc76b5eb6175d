package org.bpf4j.runtime.helpers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs an object's programs in the kernel with BPF_PROG_TEST_RUN, through bpftool: {@code bpftool prog loadall}
 * pins every program (and its maps) under a fresh directory of /sys/fs/bpf, {@code bpftool prog run} runs one
 * on a frame, {@link #close()} removes the pins (and so the programs and maps).
 *
 * <p>Needs root (CAP_BPF and CAP_NET_ADMIN), bpftool and a mounted bpffs: see {@link #unavailable()}.
 */
final class KernelRunner implements AutoCloseable {
    private static final Path BPFFS = Path.of("/sys/fs/bpf");
    private static final Pattern RETVAL = Pattern.compile("Return value: (\\d+)");

    /** What a test run gave: r0 (a u32, sign-extended here) and the frame afterwards ({@code data_out}). */
    record Result(int ret, byte[] out) {}

    private final Path progs;
    private final Path maps;
    private final Path scratch;

    private KernelRunner(Path object) throws IOException {
        String id = "bpf4j-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        this.progs = BPFFS.resolve(id);
        this.maps = BPFFS.resolve(id + "-maps");
        this.scratch = Files.createTempDirectory("bpf4j-kernel-run");
        try {
            bpftool("prog", "loadall", object.toString(), progs.toString(), "pinmaps", maps.toString());
        } catch (RuntimeException e) {
            close(); // what loadall pinned before it failed
            throw e;
        }
    }

    /** Loads every program of an object into the kernel. */
    static KernelRunner load(Path object) {
        try {
            return new KernelRunner(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why kernel runs are impossible here, or null when they are possible. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "kernel comparisons need root (CAP_BPF) for BPF_PROG_TEST_RUN";
        }
        if (!Files.isDirectory(BPFFS)) {
            return "kernel comparisons need bpffs at /sys/fs/bpf";
        }
        try {
            Process p = new ProcessBuilder("bpftool", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "bpftool does not run";
            }
        } catch (IOException e) {
            return "kernel comparisons need bpftool on the PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Runs a program once on a frame. */
    Result run(String program, byte[] frame) {
        try {
            Path in = scratch.resolve("in.bin"), out = scratch.resolve("out.bin");
            Files.write(in, frame);
            Files.deleteIfExists(out);
            String text = bpftool("prog", "run", "pinned", progs.resolve(program).toString(), "data_in", in.toString(),
                    "data_out", out.toString(), "data_size_out", "8192", "repeat", "1");
            Matcher m = RETVAL.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("bpftool prog run printed no return value: " + text);
            }
            int ret = (int) Long.parseLong(m.group(1));
            return new Result(ret, Files.exists(out) ? Files.readAllBytes(out) : new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a map entry (a pinned map is named as bpftool pins it: {@code tailcall_bss} for .bss). */
    byte[] lookup(String mapSuffix, byte[] key) {
        String json = bpftool(cat(List.of("-j", "map", "lookup", "pinned", map(mapSuffix).toString(), "key"), hex(key)));
        int at = json.indexOf("\"value\":[");
        if (at < 0) {
            throw new IllegalStateException("no value in " + json);
        }
        String list = json.substring(at + 9, json.indexOf(']', at));
        List<String> bytes = Stream.of(list.split(",")).map(s -> s.replace("\"", "").replace("0x", "").trim()).toList();
        return HexFormat.of().parseHex(String.join("", bytes));
    }

    /** Updates a map entry. */
    void update(String mapSuffix, byte[] key, byte[] value) {
        List<String> args = new ArrayList<>(List.of("map", "update", "pinned", map(mapSuffix).toString(), "key"));
        args.addAll(hex(key));
        args.add("value");
        args.addAll(hex(value));
        bpftool(args.toArray(String[]::new));
    }

    private Path map(String suffix) {
        try (Stream<Path> s = Files.list(maps)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no pinned map ending in " + suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> hex(byte[] b) {
        List<String> out = new ArrayList<>();
        for (byte x : b) {
            out.add(String.format("0x%02x", x & 0xff));
        }
        return out;
    }

    private static String[] cat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    private static String bpftool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bpftool");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("bpftool timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("bpftool failed (" + p.exitValue() + "): " + cmd + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Path dir : List.of(progs, maps, scratch)) {
            if (!Files.exists(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
