package org.bpf4j.cli.agreement;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bpf4j.core.api.Backend;
import org.bpf4j.core.api.BpfCollection;
import org.bpf4j.core.api.BpfProgram;
import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.MapView;
import org.bpf4j.core.api.RunResult;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.MapType;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.KernelBackend;
import org.bpf4j.kernel.KernelObject;
import org.bpf4j.kernel.KernelProgram;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.UserspaceBackend;

/**
 * What the agreement tests share: where the project's files are, whether the kernel is usable, one object loaded
 * into both backends ({@link Pair}), running a frame through both ({@link Pair#run}) and comparing every map
 * ({@link Pair#compareMaps}).
 *
 * <h2>How results are compared</h2>
 * <ul>
 * <li>Return values: the kernel's test run reports r0's low 32 bits ({@code attr.test.retval} is a u32), so the
 *     user-space r0 is cut to its low 32 bits too.</li>
 * <li>Packets: the packet after the run, as each backend exposes it in {@link RunResult#packet()} (the kernel's
 *     {@code data_out}, which for XDP starts at {@code data_meta}: see {@link KnownDifference}). For TC programs
 *     neither backend exposes the
 *     {@code __sk_buff} in a {@link RunResult} (the kernel backend passes no {@code ctx_out}), so mark and
 *     priority are not compared here: the return value and the packet are.</li>
 * <li>Frames the kernel's test run refuses ({@link TestRunLimits}) are checked to be refused, with the right
 *     errno, and left out.</li>
 * <li>Maps: every map of the object, by name (after all runs for the examples, after every run for the helper
 *     programs): the same keys (as a set: hash maps need not
 *     iterate in the same order) and, per key, the same value. Per-CPU maps: user space runs with one CPU
 *     (cpu 0), the kernel's test run on whichever CPU the calling thread happens to be on, which can change from
 *     run to run, so the values are compared as the sum over CPUs of each 8-byte lane (wrapping), which is what
 *     a per-CPU counter means; values whose size is no multiple of 8 are summed in 4-, 2- or 1-byte lanes.
 *     Program arrays: the kernel returns program ids, user space program indexes: both are turned into program
 *     names. Queues and stacks: popped to the end on both sides. Map types without control-plane lookups
 *     (ring buffers, perf event arrays): the errno of the attempt must agree.</li>
 * </ul>
 */
final class Agreement {
    private Agreement() {}

    static final Path ROOT = findRoot();

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/obj")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("the project root (examples/obj) is not above " + Path.of("").toAbsolutePath());
    }

    static BpfObject example(String name) throws IOException {
        return ObjectReader.read(ROOT.resolve("examples/obj/" + name + ".o"));
    }

    // ---- the kernel

    private static volatile String unavailable;

    /** Skips (with the reason) unless this process may use bpf(2): Linux, root with CAP_BPF or CAP_SYS_ADMIN. */
    static void assumeKernel() {
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
        long caps = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "cannot read the capabilities in /proc/self/status: " + e;
        }
        if ((caps & (1L << 39)) == 0 && (caps & (1L << 21)) == 0) {
            return "the backend agreement tests need root with CAP_BPF (or CAP_SYS_ADMIN); this process has neither";
        }
        try (BpfCollection c = Backend.kernel().load(example("dropworld"))) {
            return "";
        } catch (BpfSyscallException | IOException e) {
            return "bpf(2) is not usable here (" + e.getMessage() + ")";
        }
    }

    // ---- one object in both backends

    /** What one backend did with one frame: a result, or the exception it threw. */
    record Outcome(RunResult result, RuntimeException error) {
        int retval32() {
            return (int) result.retval();
        }

        String describe() {
            if (error != null) {
                String m = error.getMessage();
                return error.getClass().getSimpleName() + ": " + (m == null ? "" : m);
            }
            return "retval " + retval32() + " (0x" + Integer.toHexString(retval32()) + "), " + result.packet().length
                    + " bytes";
        }
    }

    /** An object loaded into user space and into the kernel. */
    static final class Pair implements AutoCloseable {
        final String name;
        final BpfObject object;
        final BpfCollection user;
        final KernelObject kernelObject;
        final BpfCollection kernel;

        Pair(String name, BpfObject object) {
            this(name, object, null);
        }

        /**
         * @param engine null for {@code Backend.userspace()} as it is (the JIT), else the user-space backend over
         *               a {@link LoadedObject} on that engine
         */
        Pair(String name, BpfObject object, Engine engine) {
            this.name = name;
            this.object = object;
            this.user = engine == null ? Backend.userspace().load(object)
                    : UserspaceBackend.of(LoadedObject.load(object, LoadedObject.Options.defaults().withEngine(engine)));
            KernelObject k;
            try {
                k = KernelObject.load(object);
            } catch (RuntimeException e) {
                user.close();
                throw e;
            }
            this.kernelObject = k;
            // the same as Backend.kernel().load(object), keeping the KernelObject for the programs' ids
            this.kernel = KernelBackend.of(k);
        }

        BpfProgram userProgram(String program) {
            return user.program(program).orElseThrow(() -> new AssertionError(name + ": user space has no program "
                    + program + " (it has " + user.programs().stream().map(BpfProgram::name).toList() + ")"));
        }

        BpfProgram kernelProgram(String program) {
            return kernel.program(program).orElseThrow(() -> new AssertionError(name + ": the kernel has no program "
                    + program + " (it has " + kernel.programs().stream().map(BpfProgram::name).toList() + ")"));
        }

        Outcome runUser(String program, byte[] frame) {
            try {
                return new Outcome(userProgram(program).run(frame.clone()), null);
            } catch (RuntimeException e) {
                return new Outcome(null, e);
            }
        }

        Outcome runKernel(String program, byte[] frame) {
            try {
                return new Outcome(kernelProgram(program).run(frame.clone()), null);
            } catch (RuntimeException e) {
                return new Outcome(null, e);
            }
        }

        /**
         * Runs a frame through both backends and adds what differs to {@code report}. A frame the kernel's test
         * run refuses ({@link TestRunLimits#refusal}) must be refused with that errno, and user space is not asked:
         * such frames are left out of the comparison. Returns the user-space outcome (null for a refused frame).
         */
        Outcome run(String program, String label, byte[] frame, Report report) {
            Outcome k = runKernel(program, frame);
            ProgramType type = kernelProgram(program).type();
            TestRunLimits.Refusal refusal = TestRunLimits.refusal(type, frame);
            String where = label + " (" + frame.length + " bytes)";
            if (refusal != null) {
                if (!(k.error() instanceof BpfSyscallException e && e.errno() == refusal.errno())) {
                    report.add(where + ": the kernel's test run should refuse the frame (" + refusal.why()
                            + "), but gave " + k.describe());
                }
                return null;
            }
            Outcome u = runUser(program, frame);
            compare(type, where, u, k, report);
            return u;
        }

        /** Adds every difference between the backends' maps to {@code report}, each line prefixed. */
        void compareMaps(String prefix, Report report) {
            List<String> out = new ArrayList<>();
            for (MapView um : user.maps()) {
                Optional<MapView> km = kernel.map(um.name());
                if (km.isEmpty()) {
                    out.add("map " + um.name() + ": missing in the kernel");
                    continue;
                }
                compareMap(um, km.get(), out);
            }
            for (MapView km : kernel.maps()) {
                if (user.map(km.name()).isEmpty()) {
                    out.add("map " + km.name() + ": missing in user space");
                }
            }
            for (String d : out) {
                report.add(prefix + d, KnownDifference.classifyMap(d));
            }
        }

        private void compareMap(MapView um, MapView km, List<String> out) {
            String what = name + ": map " + um.name() + " (" + um.spec().type() + ")";
            MapType type = um.spec().type();
            if (type != km.spec().type() || um.spec().keySize() != km.spec().keySize()
                    || um.spec().valueSize() != km.spec().valueSize()
                    || um.spec().maxEntries() != km.spec().maxEntries()) {
                out.add(what + ": specs differ: " + um.spec() + " vs " + km.spec());
                return;
            }
            if (type == MapType.QUEUE || type == MapType.STACK) {
                List<String> us = drain(um), ks = drain(km);
                if (!us.equals(ks)) {
                    out.add(what + ": popped " + us + " in user space, " + ks + " in the kernel");
                }
                return;
            }
            Attempt<List<byte[]>> uk = attempt(um::keys), kk = attempt(km::keys);
            if (uk.errno() != kk.errno()) {
                out.add(what + ": listing the keys: " + uk.describe() + " in user space, " + kk.describe()
                        + " in the kernel");
                return;
            }
            if (uk.value() == null) {
                return; // both refuse to list keys, with the same errno
            }
            TreeMap<String, byte[]> keys = new TreeMap<>();
            List<String> onlyUser = new ArrayList<>(), onlyKernel = new ArrayList<>();
            for (byte[] k : uk.value()) {
                keys.put(hex(k), k);
            }
            java.util.Set<String> kernelKeys = new java.util.TreeSet<>();
            for (byte[] k : kk.value()) {
                kernelKeys.add(hex(k));
                if (!keys.containsKey(hex(k))) {
                    onlyKernel.add(hex(k));
                }
            }
            for (String k : keys.keySet()) {
                if (!kernelKeys.contains(k)) {
                    onlyUser.add(k);
                }
            }
            if (!onlyUser.isEmpty() || !onlyKernel.isEmpty()) {
                out.add(what + ": keys only in user space " + onlyUser + ", only in the kernel " + onlyKernel);
            }
            for (var e : keys.entrySet()) {
                if (!kernelKeys.contains(e.getKey())) {
                    continue;
                }
                byte[] key = e.getValue();
                String v = compareValue(type, um, km, key);
                if (v != null) {
                    out.add(what + ", key " + e.getKey() + ": " + v);
                }
            }
        }

        private String compareValue(MapType type, MapView um, MapView km, byte[] key) {
            if (um.isPerCpu() != km.isPerCpu()) {
                return "per-CPU in one backend only";
            }
            if (um.isPerCpu()) {
                Attempt<Optional<List<byte[]>>> u = attempt(() -> um.lookupPerCpu(key)),
                        k = attempt(() -> km.lookupPerCpu(key));
                if (u.errno() != k.errno()) {
                    return "lookup: " + u.describe() + " in user space, " + k.describe() + " in the kernel";
                }
                if (u.value() == null) {
                    return null;
                }
                if (u.value().isPresent() != k.value().isPresent()) {
                    return "present in " + (u.value().isPresent() ? "user space" : "the kernel") + " only";
                }
                if (u.value().isEmpty()) {
                    return null;
                }
                byte[] us = laneSums(u.value().get(), um.spec().valueSize());
                byte[] ks = laneSums(k.value().get(), km.spec().valueSize());
                return Arrays.equals(us, ks) ? null : "sum over CPUs " + hex(us) + " in user space, " + hex(ks)
                        + " in the kernel (per CPU: " + u.value().get().stream().map(Agreement::hex).toList()
                        + " vs " + k.value().get().stream().map(Agreement::hex).toList() + ")";
            }
            Attempt<Optional<byte[]>> u = attempt(() -> um.lookup(key)), k = attempt(() -> km.lookup(key));
            if (u.errno() != k.errno()) {
                return "lookup: " + u.describe() + " in user space, " + k.describe() + " in the kernel";
            }
            if (u.value() == null) {
                return null;
            }
            if (u.value().isPresent() != k.value().isPresent()) {
                return "present in " + (u.value().isPresent() ? "user space" : "the kernel") + " only";
            }
            if (u.value().isEmpty()) {
                return null;
            }
            byte[] uv = u.value().get(), kv = k.value().get();
            if (type == MapType.PROG_ARRAY) {
                String up = userProgramName(le32(uv)), kp = kernelProgramName(le32(kv));
                return up.equals(kp) ? null : "program " + up + " in user space, " + kp + " in the kernel";
            }
            return Arrays.equals(uv, kv) ? null : valueDifference(uv, kv);
        }

        private String userProgramName(int index) {
            return index >= 0 && index < user.programs().size() ? user.programs().get(index).name()
                    : "#" + index + " (no such program)";
        }

        private String kernelProgramName(int id) {
            for (KernelProgram p : kernelObject.programs()) {
                if (p.id() == id) {
                    return p.name();
                }
            }
            return "id " + id + " (not of this object)";
        }

        @Override
        public void close() {
            try {
                kernel.close();
            } finally {
                user.close();
            }
        }
    }

    /** Adds the differences between two outcomes of one frame to {@code report}. */
    static void compare(ProgramType type, String label, Outcome u, Outcome k, Report report) {
        if (u.error() != null || k.error() != null) {
            if (u.error() == null || k.error() == null) {
                report.add(label + ": user space gave " + u.describe() + ", the kernel " + k.describe());
            }
            return; // both refuse: the tests that expect refusals check the reasons
        }
        if (u.retval32() != k.retval32()) {
            report.add(label + ": return value " + u.retval32() + " (0x" + Long.toHexString(u.result().retval())
                    + ") in user space, " + k.retval32() + " in the kernel");
        }
        byte[] up = u.result().packet(), kp = k.result().packet();
        if (!Arrays.equals(up, kp)) {
            report.add(label + ": packet of " + up.length + " bytes in user space, " + kp.length + " in the kernel"
                    + firstDifference(up, kp), KnownDifference.classifyPacket(type, up, kp));
        }
    }

    /** Two values that differ: whole when short, else the 8-byte-aligned range of bytes that differ. */
    static String valueDifference(byte[] u, byte[] k) {
        if (u.length <= 32 || u.length != k.length) {
            return "value " + hex(u) + " in user space, " + hex(k) + " in the kernel" + firstDifference(u, k);
        }
        int first = 0, last = u.length - 1;
        while (u[first] == k[first]) {
            first++;
        }
        while (u[last] == k[last]) {
            last--;
        }
        int from = first & ~7, to = Math.min(u.length, (last | 7) + 1);
        return "bytes " + from + " to " + (to - 1) + " of " + u.length + ": " + hex(Arrays.copyOfRange(u, from, to))
                + " in user space, " + hex(Arrays.copyOfRange(k, from, to)) + " in the kernel";
    }

    static String firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return String.format(" (first difference at byte %d: %02x vs %02x)", i, a[i] & 0xff, b[i] & 0xff);
            }
        }
        return a.length == b.length ? "" : " (one is a prefix of the other)";
    }

    /** The element-wise sum over CPUs of 8-byte lanes (or smaller, when the value size asks), little-endian. */
    static byte[] laneSums(List<byte[]> perCpu, int valueSize) {
        int lane = valueSize % 8 == 0 ? 8 : valueSize % 4 == 0 ? 4 : valueSize % 2 == 0 ? 2 : 1;
        byte[] out = new byte[valueSize];
        for (int at = 0; at < valueSize; at += lane) {
            long sum = 0;
            for (byte[] v : perCpu) {
                long x = 0;
                for (int i = lane - 1; i >= 0; i--) {
                    x = x << 8 | (v[at + i] & 0xffL);
                }
                sum += x;
            }
            for (int i = 0; i < lane; i++) {
                out[at + i] = (byte) (sum >>> (8 * i));
            }
        }
        return out;
    }

    private static List<String> drain(MapView m) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i <= m.spec().maxEntries(); i++) {
            Attempt<Optional<byte[]>> v = attempt(m::pop);
            if (v.value() == null) {
                out.add(v.describe());
                break;
            }
            if (v.value().isEmpty()) {
                break;
            }
            out.add(hex(v.value().get()));
        }
        return out;
    }

    /** A control-plane operation's value, or the errno of its MapException. */
    record Attempt<T>(T value, int errno) {
        String describe() {
            return value != null ? String.valueOf(value) : "errno " + org.bpf4j.core.api.Errno.name(errno);
        }
    }

    static <T> Attempt<T> attempt(java.util.function.Supplier<T> op) {
        try {
            return new Attempt<>(op.get(), 0);
        } catch (MapException e) {
            return new Attempt<>(null, e.errno());
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static int le32(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    static byte[] le32(int... words) {
        byte[] b = new byte[4 * words.length];
        for (int i = 0; i < words.length; i++) {
            for (int j = 0; j < 4; j++) {
                b[4 * i + j] = (byte) (words[i] >>> (8 * j));
            }
        }
        return b;
    }

    /**
     * What a comparison found: every difference, with the {@link KnownDifference} that explains it when there is
     * one. The agreement tests fail on the unexplained ones; the known ones are enforced by
     * {@link KnownDifferencesTest} once fixed.
     */
    static final class Report {
        final List<String> unexplained = new ArrayList<>();
        final java.util.EnumMap<KnownDifference, List<String>> known = new java.util.EnumMap<>(KnownDifference.class);

        void add(String difference) {
            add(difference, null);
        }

        void add(String difference, KnownDifference explanation) {
            if (explanation == null) {
                unexplained.add(difference);
            } else {
                known.computeIfAbsent(explanation, x -> new ArrayList<>()).add(difference);
            }
        }

        List<String> all() {
            List<String> out = new ArrayList<>(unexplained);
            known.values().forEach(out::addAll);
            return out;
        }
    }

    /** Fails with the first unexplained differences (and how many there were) when there are any. */
    static void assertAgree(String what, Report report) {
        fail(what, report.unexplained, "");
        if (!report.known.isEmpty()) {
            System.out.println(what + ": " + report.known.entrySet().stream().map(e -> e.getValue().size() + " x "
                    + e.getKey()).toList() + " (known differences, see KnownDifferencesTest)");
        }
    }

    static void fail(String what, List<String> differences, String explanation) {
        if (!differences.isEmpty()) {
            int shown = Integer.getInteger("agreement.shown", 15);
            StringBuilder m = new StringBuilder(what + ": " + differences.size() + " difference(s) between user space"
                    + " and the kernel" + explanation + ":");
            differences.stream().limit(shown).forEach(d -> m.append("\n  ").append(d));
            if (differences.size() > shown) {
                m.append("\n  ...");
            }
            throw new AssertionError(m.toString());
        }
    }
}
