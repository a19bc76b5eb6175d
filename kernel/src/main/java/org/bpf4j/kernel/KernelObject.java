package org.bpf4j.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bpf4j.core.btf.Btf;
import org.bpf4j.core.btf.BtfType;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.FunctionInfo;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.object.SourceLine;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfFs;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.MapCreate;
import org.bpf4j.kernel.sys.Names;
import org.bpf4j.kernel.sys.ProgLoad;

/**
 * A {@link BpfObject} loaded into the kernel: the very object the user-space backend runs, with its maps created
 * and its programs verified and loaded.
 *
 * <h2>Loading</h2>
 * <ol>
 * <li>BTF, when the object has it: loaded first ({@code BPF_BTF_LOAD}), with the strings line info needs. If the
 *     kernel rejects it, the object loads without BTF and {@link #warnings()} says so (with the kernel's reason):
 *     maps get no key/value types, programs no func and line info.</li>
 * <li>Maps, in the object's order ({@code BPF_MAP_CREATE}): with the BTF key and value types when there are
 *     some; when the kernel refuses those, again without (a warning), unless the value needs BTF (a spin lock, a
 *     timer). A map-in-map gets a temporary inner map made from its template. Global data ({@code .data},
 *     {@code .rodata}, {@code .bss}) become one-element arrays holding the section's bytes; {@code .rodata} is
 *     then frozen. Kernel names are cut to 15 characters of {@code [A-Za-z0-9_.]}; global data maps are named like
 *     libbpf names them (the first 8 characters of the object's name, then the section: {@code globals.rodata}).
 *     Maps declared with {@code LIBBPF_PIN_BY_NAME} are reused from, or pinned to, {@link Options#pinRoot()}.</li>
 * <li>Programs ({@code BPF_PROG_LOAD}): code relocated ({@code lddw} with {@code MAP_IDX} becomes
 *     {@code BPF_PSEUDO_MAP_FD} with the map's descriptor, {@code MAP_IDX_VALUE} becomes
 *     {@code BPF_PSEUDO_MAP_VALUE} with the descriptor and the offset), the type from the spec (or
 *     {@link Options#type()} for programs whose section names none), the expected attach type the section implies
 *     ({@code xdp} → {@code BPF_XDP}, {@code tcx/ingress} → {@code BPF_TCX_INGRESS}...), the license, and func
 *     and line info so that the verifier log shows C source lines. A rejection is a {@link VerifierException}
 *     with the log and the source line the verifier stopped at.</li>
 * <li>Program arrays are filled from {@link MapSpec#initialPrograms()}, maps of maps from
 *     {@link MapSpec#initialMaps()}.</li>
 * </ol>
 * Anything that fails closes (and unpins) everything created so far.
 *
 * <p>{@link #close()} closes every descriptor: programs and maps that nothing else holds (no pin, no attachment)
 * go away.
 */
public final class KernelObject implements AutoCloseable {

    /** {@code BPF_F_XDP_HAS_FRAGS}. */
    static final int F_XDP_HAS_FRAGS = 1 << 5;
    /** {@code BPF_PSEUDO_MAP_FD}, {@code BPF_PSEUDO_MAP_VALUE}, and the index forms core's reader leaves. */
    static final int PSEUDO_MAP_FD = 1, PSEUDO_MAP_VALUE = 2, PSEUDO_MAP_IDX = 5, PSEUDO_MAP_IDX_VALUE = 6;
    static final int OP_LDDW = 0x18;

    /**
     * How to load.
     *
     * @param btf      load the object's BTF (and func / line info) when it has some
     * @param logLevel verifier log level for every program (1: the log of a failure; 2: every instruction)
     * @param logSize  the first verifier log buffer, grown as needed up to 16 MiB
     * @param pinRoot  where maps declared {@code LIBBPF_PIN_BY_NAME} are reused from or pinned to (a bpf file
     *                 system); null to create them like other maps
     * @param type     the type of programs whose section names none (e.g. {@code .text} functions), or null
     */
    public record Options(boolean btf, int logLevel, int logSize, Path pinRoot, ProgramType type) {
        public static Options defaults() {
            return new Options(true, 1, ProgLoad.DEFAULT_LOG_SIZE, BpfFs.DEFAULT, null);
        }

        public Options withBtf(boolean b) {
            return new Options(b, logLevel, logSize, pinRoot, type);
        }

        public Options withLog(int level, int size) {
            return new Options(btf, level, size, pinRoot, type);
        }

        public Options withPinRoot(Path root) {
            return new Options(btf, logLevel, logSize, root, type);
        }

        public Options withType(ProgramType t) {
            return new Options(btf, logLevel, logSize, pinRoot, t);
        }
    }

    private final BpfObject object;
    private final Fd btf;
    private final Map<String, KernelMap> maps;
    private final Map<String, KernelProgram> programs;
    private final List<String> warnings;
    private final List<Path> pinned = new ArrayList<>();
    private final List<Path> madeDirs = new ArrayList<>();
    private boolean closed;

    private KernelObject(BpfObject object, Fd btf, Map<String, KernelMap> maps, Map<String, KernelProgram> programs,
            List<String> warnings) {
        this.object = object;
        this.btf = btf;
        this.maps = Collections.unmodifiableMap(maps);
        this.programs = Collections.unmodifiableMap(programs);
        this.warnings = List.copyOf(warnings);
    }

    /** Loads an object with the default options. */
    public static KernelObject load(BpfObject object) {
        return load(object, Options.defaults());
    }

    /** Loads an object; see the class comment for what happens and how failures clean up. */
    public static KernelObject load(BpfObject object, Options options) {
        return new Loader(object, options).load();
    }

    // ---- what it holds

    public BpfObject object() {
        return object;
    }

    /** True when the kernel took the object's BTF. */
    public boolean hasBtf() {
        return btf != null;
    }

    /** The loaded BTF's descriptor, when the kernel took it. */
    public Optional<Fd> btf() {
        return Optional.ofNullable(btf);
    }

    /** What the loader had to do differently from what the object asked (BTF refused, ...). */
    public List<String> warnings() {
        return warnings;
    }

    /** The maps, in the object's order. */
    public List<KernelMap> maps() {
        return List.copyOf(maps.values());
    }

    /** The map with this spec name ({@code .rodata} for global data), if any. */
    public Optional<KernelMap> map(String name) {
        return Optional.ofNullable(maps.get(name));
    }

    /** The programs, in the object's order. */
    public List<KernelProgram> programs() {
        return List.copyOf(programs.values());
    }

    /** The program with this function name, or the first in a section of this name. */
    public Optional<KernelProgram> program(String nameOrSection) {
        KernelProgram p = programs.get(nameOrSection);
        if (p != null) {
            return Optional.of(p);
        }
        return programs.values().stream().filter(k -> k.spec().orElseThrow().section().equals(nameOrSection))
                .findFirst();
    }

    // ---- pinning

    /**
     * Pins every program at {@code dir/<program>} and every map at {@code dir/<map>} (global data maps under their
     * kernel name with {@code .} made {@code _}, e.g. {@code globals_rodata}), creating {@code dir} (in a bpf file
     * system: /sys/fs/bpf is mounted when absent). Returns the paths. On failure, what was pinned is unpinned.
     */
    public synchronized List<Path> pin(Path dir) {
        checkOpen();
        BpfFs.ensureMounted();
        List<Path> made = new ArrayList<>();
        try {
            for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
                made.addFirst(p);
            }
            for (Path p : made) {
                Files.createDirectory(p);
                madeDirs.add(p);
            }
            List<Path> out = new ArrayList<>();
            for (KernelProgram p : programs.values()) {
                Path at = dir.resolve(pinName(p.name()));
                p.pin(at);
                pinned.add(at);
                out.add(at);
            }
            for (KernelMap m : maps.values()) {
                Path at = dir.resolve(pinName(m.name().startsWith(".") ? m.kernelName() : m.name()));
                m.pin(at);
                pinned.add(at);
                out.add(at);
            }
            return out;
        } catch (IOException e) {
            unpin();
            throw new UncheckedIOException("cannot create " + dir + " to pin into", e);
        } catch (RuntimeException e) {
            unpin();
            throw e;
        }
    }

    private static String pinName(String name) {
        return name.replace('.', '_').replace('/', '_');
    }

    /** Removes every pin {@link #pin} made, and the directories it created. */
    public synchronized void unpin() {
        RuntimeException failure = null;
        for (Path p : pinned.reversed()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                if (failure == null) {
                    failure = new UncheckedIOException("cannot unpin " + p, e);
                }
            }
        }
        pinned.clear();
        for (Path d : madeDirs.reversed()) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                // not empty: someone else put something there
            }
        }
        madeDirs.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** The paths {@link #pin} made that are still pinned. */
    public synchronized List<Path> pinnedPaths() {
        return List.copyOf(pinned);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the kernel object " + object.name() + " is closed");
        }
    }

    /** Closes every descriptor (programs first, then maps, then BTF). Pins stay: {@link #unpin} removes them. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> all = new ArrayList<>(programs.values());
        all.addAll(new ArrayList<>(maps.values()).reversed());
        if (btf != null) {
            all.add(btf);
        }
        closeAll(all);
    }

    static void closeAll(List<? extends AutoCloseable> all) {
        RuntimeException failure = null;
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "kernel object " + object.name() + " (" + programs.size() + " programs, " + maps.size() + " maps"
                + (btf != null ? ", BTF" : "") + ")";
    }

    // ---- the loader

    /** Kernel program type and expected attach type (and flags) of a spec. */
    record Target(ProgramType type, int expectedAttachType, int flags) {}

    /** What the section name implies, as libbpf reads section names. */
    static Target target(ProgramSpec spec, ProgramType fallback) {
        ProgramType type = spec.type();
        if (type == ProgramType.UNSPEC || type.kernelId() <= 0) {
            if (fallback == null || fallback.kernelId() <= 0) {
                throw new IllegalArgumentException("program '" + spec.name() + "' in section " + spec.section()
                        + " has no kernel program type (" + type.name().toLowerCase(Locale.ROOT)
                        + "): the section names none; give one (xdp or tc)");
            }
            type = fallback;
        }
        String s = spec.section().toLowerCase(Locale.ROOT);
        int attach = 0, flags = 0;
        if (type == ProgramType.XDP) {
            attach = Bpf.ATTACH_XDP;
            if (s.startsWith("xdp.frags")) {
                flags |= F_XDP_HAS_FRAGS;
            }
            if (s.endsWith("/devmap")) {
                attach = 33; // BPF_XDP_DEVMAP
            } else if (s.endsWith("/cpumap")) {
                attach = 35; // BPF_XDP_CPUMAP
            }
        } else if (type == ProgramType.SCHED_CLS) {
            attach = switch (s) {
                case "tcx/ingress" -> Bpf.ATTACH_TCX_INGRESS;
                case "tcx/egress" -> Bpf.ATTACH_TCX_EGRESS;
                case "netkit/primary" -> 54; // BPF_NETKIT_PRIMARY
                case "netkit/peer" -> 55; // BPF_NETKIT_PEER
                default -> 0;
            };
        }
        return new Target(type, attach, flags);
    }

    /** The kernel's name for a map: libbpf's for global data ({@code <8 chars of object>.rodata}), else the spec's. */
    static String kernelMapName(BpfObject object, MapSpec spec) {
        if (spec.kind() == MapSpec.Kind.DATA || spec.kind() == MapSpec.Kind.RODATA || spec.kind() == MapSpec.Kind.BSS
                || spec.kind() == MapSpec.Kind.KCONFIG) {
            String stem = object.name();
            if (stem.endsWith(".o")) {
                stem = stem.substring(0, stem.length() - 2);
            }
            String sec = spec.name();
            int prefix = Math.min(stem.length(), Math.min(8, Names.MAX - sec.length()));
            return Names.objectName(stem.substring(0, Math.max(prefix, 0)) + sec);
        }
        return Names.objectName(spec.name());
    }

    /** Relocates index references to map descriptors: src 5 → 1 with the fd, src 6 → 2 with the fd. */
    static long[] relocate(ProgramSpec spec, List<Integer> mapFds) {
        long[] code = spec.code().clone();
        for (int i = 0; i < code.length; i++) {
            long slot = code[i];
            if ((slot & 0xff) != OP_LDDW) {
                continue;
            }
            int src = (int) ((slot >>> 12) & 0xf);
            if (src == PSEUDO_MAP_IDX || src == PSEUDO_MAP_IDX_VALUE) {
                int index = (int) (slot >>> 32);
                if (index < 0 || index >= mapFds.size()) {
                    throw new IllegalArgumentException("program '" + spec.name() + "', instruction " + i
                            + ": lddw refers to map " + index + ", the object has " + mapFds.size());
                }
                if (i + 1 >= code.length) {
                    throw new IllegalArgumentException("program '" + spec.name() + "', instruction " + i
                            + ": lddw is cut short by the end of the program");
                }
                int pseudo = src == PSEUDO_MAP_IDX ? PSEUDO_MAP_FD : PSEUDO_MAP_VALUE;
                code[i] = (slot & 0xffff_0fffL) | ((long) pseudo << 12)
                        | ((long) mapFds.get(index) << 32);
                if (src == PSEUDO_MAP_IDX) {
                    code[i + 1] &= 0xffff_ffffL;
                }
            }
            i++; // skip the second slot
        }
        return code;
    }

    /** {@code struct bpf_func_info} records, or null when some function has no BTF type. */
    static byte[] funcInfo(ProgramSpec spec) {
        List<FunctionInfo> fs = new ArrayList<>(spec.functions());
        if (fs.isEmpty() || fs.stream().anyMatch(f -> f.btfTypeId() <= 0)) {
            return null;
        }
        fs.sort(Comparator.comparingInt(FunctionInfo::instruction));
        ByteBuffer b = ByteBuffer.allocate(fs.size() * ProgLoad.FUNC_INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (FunctionInfo f : fs) {
            b.putInt(f.instruction()).putInt(f.btfTypeId());
        }
        return b.array();
    }

    /**
     * {@code struct bpf_line_info} records as the kernel checks them (strictly increasing, on real instructions,
     * one at the start of every function), or null (with the reason in {@code why}) when the object's line info
     * cannot give that.
     */
    static byte[] lineInfo(ProgramSpec spec, BtfBlob strings, List<String> why) {
        if (spec.lines().isEmpty()) {
            return null;
        }
        long[] code = spec.code();
        boolean[] second = new boolean[code.length];
        for (int i = 0; i + 1 < code.length; i++) {
            if ((code[i] & 0xff) == OP_LDDW) {
                second[i + 1] = true;
                i++;
            }
        }
        List<SourceLine> kept = new ArrayList<>();
        int last = -1;
        for (SourceLine l : spec.lines()) {
            int at = l.instruction();
            if (at <= last || at < 0 || at >= code.length || second[at]) {
                continue;
            }
            kept.add(l);
            last = at;
        }
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        kept.forEach(l -> starts.add(l.instruction()));
        for (FunctionInfo f : spec.functions()) {
            if (!starts.contains(f.instruction())) {
                why.add("program '" + spec.name() + "': function '" + f.name() + "' (instruction " + f.instruction()
                        + ") has no line info; loading without line info");
                return null;
            }
        }
        if (!starts.contains(0)) {
            why.add("program '" + spec.name() + "': no line info for instruction 0; loading without line info");
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(kept.size() * ProgLoad.LINE_INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (SourceLine l : kept) {
            b.putInt(l.instruction()).putInt(strings.offsetOf(l.file())).putInt(strings.offsetOf(l.text()))
                    .putInt(Math.max(0, l.line()) << 10 | (Math.max(0, l.column()) & 0x3ff));
        }
        return b.array();
    }

    /** Struct names whose presence in a value means the map needs its BTF. */
    private static final Set<String> NEEDS_BTF = Set.of("bpf_spin_lock", "bpf_timer", "bpf_wq", "bpf_list_head",
            "bpf_rb_root", "bpf_refcount", "bpf_res_spin_lock", "bpf_task_work");

    /** True when the value type holds a spin lock, timer or another special field the kernel only finds in BTF. */
    static boolean needsBtf(Btf btf, int typeId) {
        return btf != null && typeId > 0 && special(btf, typeId, 0);
    }

    private static boolean special(Btf btf, int typeId, int depth) {
        if (depth > 32 || typeId <= 0 || typeId > btf.typeCount()) {
            return false;
        }
        BtfType t = btf.type(btf.skipQualifiers(typeId));
        if (t instanceof BtfType.TypeTag tag) {
            return tag.name().equals("kptr") || tag.name().equals("kptr_untrusted") || tag.name().equals("percpu_kptr")
                    || special(btf, tag.type(), depth + 1);
        }
        if (t instanceof BtfType.Struct s) {
            if (NEEDS_BTF.contains(s.name())) {
                return true;
            }
            for (BtfType.Member m : s.members()) {
                if (special(btf, m.type(), depth + 1)) {
                    return true;
                }
            }
        } else if (t instanceof BtfType.Array a) {
            return special(btf, a.elementType(), depth + 1);
        } else if (t instanceof BtfType.Ptr p) {
            BtfType target = btf.type(p.type());
            return target instanceof BtfType.TypeTag tag && tag.name().contains("kptr");
        } else if (t instanceof BtfType.Datasec d) {
            for (BtfType.VarSecInfo v : d.vars()) {
                if (btf.type(v.type()) instanceof BtfType.Var var && special(btf, var.type(), depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Does the work of {@link #load}: keeps what it created so that a failure can undo it. */
    private static final class Loader {
        private final BpfObject object;
        private final Options options;
        private final List<String> warnings = new ArrayList<>();
        private final List<AutoCloseable> created = new ArrayList<>();
        private final List<Path> pinnedByName = new ArrayList<>();
        private Btf parsedBtf;
        private Fd btfFd;

        Loader(BpfObject object, Options options) {
            this.object = Objects.requireNonNull(object);
            this.options = Objects.requireNonNull(options);
        }

        KernelObject load() {
            try {
                // types first: an object with a program the kernel has no type for fails before anything is made
                List<Target> targets = new ArrayList<>();
                for (ProgramSpec p : object.programs()) {
                    targets.add(target(p, options.type()));
                }
                BtfBlob blob = null;
                if (options.btf() && object.btf().isPresent()) {
                    byte[] raw = object.btf().get();
                    parsedBtf = Btf.parse(raw);
                    blob = new BtfBlob(raw);
                }
                List<String> lineWarnings = new ArrayList<>();
                List<byte[]> lineInfos = new ArrayList<>();
                for (ProgramSpec p : object.programs()) {
                    lineInfos.add(blob == null ? null : lineInfo(p, blob, lineWarnings));
                }
                if (blob != null) {
                    loadBtf(blob.bytes());
                }
                if (btfFd != null) {
                    warnings.addAll(lineWarnings);
                }
                Map<String, KernelMap> maps = new LinkedHashMap<>();
                List<Integer> fds = new ArrayList<>();
                for (MapSpec spec : object.maps()) {
                    KernelMap m = createMap(spec);
                    maps.put(spec.name(), m);
                    fds.add(m.fd().get());
                }
                Map<String, KernelProgram> programs = new LinkedHashMap<>();
                for (int i = 0; i < object.programs().size(); i++) {
                    ProgramSpec p = object.programs().get(i);
                    programs.put(p.name(), loadProgram(p, targets.get(i), fds, lineInfos.get(i)));
                }
                fill(maps, programs);
                return new KernelObject(object, btfFd, maps, programs, warnings);
            } catch (RuntimeException | Error e) {
                undo(e);
                throw e;
            }
        }

        private void undo(Throwable e) {
            for (Path p : pinnedByName) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            List<AutoCloseable> all = new ArrayList<>(created.reversed());
            if (btfFd != null) {
                all.add(btfFd);
            }
            try {
                closeAll(all);
            } catch (RuntimeException x) {
                e.addSuppressed(x);
            }
        }

        private void loadBtf(byte[] bytes) {
            try {
                btfFd = Bpf.btfLoad(bytes).fd();
            } catch (BpfSyscallException e) {
                String reason = Bpf.lastLine(e.log());
                warnings.add("the kernel rejected the object's BTF (" + e.errnoName() + (reason.isEmpty() ? ""
                        : ": " + reason) + "); loading without BTF: maps without key/value types, programs without"
                        + " func and line info (verifier logs show no source lines)");
                btfFd = null;
            }
        }

        private KernelMap createMap(MapSpec spec) {
            String name = kernelMapName(object, spec);
            Path pinPath = null;
            if (spec.pinning() == MapSpec.Pinning.BY_NAME && options.pinRoot() != null) {
                pinPath = options.pinRoot().resolve(spec.name());
                if (Files.exists(pinPath)) {
                    KernelMap reused = reuse(spec, pinPath);
                    created.add(reused);
                    return reused;
                }
            }
            Fd inner = null;
            try {
                MapCreate req = MapCreate.of(spec.type().id(), spec.keySize(), spec.valueSize(), spec.maxEntries(),
                        spec.flags()).withName(name);
                if (spec.type() == MapType.ARRAY_OF_MAPS || spec.type() == MapType.HASH_OF_MAPS) {
                    MapSpec t = spec.innerMap();
                    if (t == null) {
                        throw new IllegalArgumentException("map '" + spec.name() + "' (" + spec.type().bpftoolName()
                                + ") has no inner map template");
                    }
                    inner = Bpf.mapCreate(MapCreate.of(t.type().id(), t.keySize(), t.valueSize(), t.maxEntries(),
                            t.flags()).withName(Names.objectName(t.name())));
                    req = req.withInnerMap(inner.get());
                }
                Fd fd = createWithBtf(spec, req);
                KernelMap m = new KernelMap(fd, Bpf.mapInfo(fd.get()), spec);
                created.add(m);
                if (spec.initialData() != null && spec.initialData().length > 0) {
                    m.update(new byte[spec.keySize()], initialValue(m, spec.initialData()));
                }
                if (spec.kind() == MapSpec.Kind.RODATA) {
                    m.freeze();
                }
                if (pinPath != null) {
                    BpfFs.ensureMounted();
                    m.pin(pinPath);
                    pinnedByName.add(pinPath);
                }
                return m;
            } finally {
                if (inner != null) {
                    inner.close();
                }
            }
        }

        private static byte[] initialValue(KernelMap m, byte[] data) {
            if (!m.isPerCpu()) {
                return data;
            }
            List<byte[]> all = new ArrayList<>();
            for (int c = 0; c < m.cpus(); c++) {
                all.add(data);
            }
            return m.join(all);
        }

        private Fd createWithBtf(MapSpec spec, MapCreate req) {
            boolean typed = spec.btfKeyTypeId() > 0 || spec.btfValueTypeId() > 0;
            if (btfFd == null || !typed) {
                return Bpf.mapCreate(req);
            }
            try {
                return Bpf.mapCreate(req.withBtf(btfFd.get(), spec.btfKeyTypeId(), spec.btfValueTypeId()));
            } catch (BpfSyscallException e) {
                if (needsBtf(parsedBtf, spec.btfValueTypeId()) || e.errno() == Errno.EPERM
                        || e.errno() == Errno.ENOMEM) {
                    throw e;
                }
                Fd fd = Bpf.mapCreate(req);
                warnings.add("map '" + spec.name() + "': the kernel refused its BTF key/value types ("
                        + e.errnoName() + "); created without them");
                return fd;
            }
        }

        private KernelMap reuse(MapSpec spec, Path path) {
            KernelMap m = KernelMap.openPinned(path);
            var i = m.info();
            if (i.type() != spec.type().id() || i.keySize() != spec.keySize() || i.valueSize() != spec.valueSize()
                    || i.maxEntries() != spec.maxEntries() || i.flags() != spec.flags()) {
                m.close();
                throw new IllegalArgumentException("map '" + spec.name() + "' is pinned at " + path + " as a "
                        + i.typeName() + " (key " + i.keySize() + "B, value " + i.valueSize() + "B, max_entries "
                        + i.maxEntries() + ", flags 0x" + Integer.toHexString(i.flags()) + "), not as the object"
                        + " declares it (" + spec.type().bpftoolName() + ", key " + spec.keySize() + "B, value "
                        + spec.valueSize() + "B, max_entries " + spec.maxEntries() + ", flags 0x"
                        + Integer.toHexString(spec.flags()) + ")");
            }
            return new KernelMap(m.fd(), i, spec);
        }

        private KernelProgram loadProgram(ProgramSpec spec, Target t, List<Integer> mapFds, byte[] lines) {
            long[] code = relocate(spec, mapFds);
            ProgLoad req = ProgLoad.of(t.type().kernelId(), code, spec.license()).withName(spec.name())
                    .withExpectedAttachType(t.expectedAttachType()).withFlags(t.flags())
                    .withLog(options.logLevel(), options.logSize());
            if (btfFd != null) {
                req = req.withBtf(btfFd.get(), funcInfo(spec), lines);
            }
            String typeName = t.type().name().toLowerCase(Locale.ROOT);
            ProgLoad.Result r;
            try {
                r = Bpf.progLoad(req);
            } catch (BpfSyscallException e) {
                if (btfFd != null && e.errno() == Errno.EINVAL && btfInfoProblem(e.log())) {
                    try {
                        r = Bpf.progLoad(req.withoutBtf());
                        warnings.add("program '" + spec.name() + "': the kernel refused its func/line info ("
                                + Bpf.lastLine(e.log()) + "); loaded without");
                    } catch (BpfSyscallException again) {
                        throw new VerifierException(spec, typeName, again);
                    }
                } else {
                    throw new VerifierException(spec, typeName, e);
                }
            }
            KernelProgram p;
            try {
                p = new KernelProgram(r.fd(), spec, t.type(), r.log());
            } catch (RuntimeException e) {
                r.fd().close();
                throw e;
            }
            created.add(p);
            return p;
        }

        private static boolean btfInfoProblem(String log) {
            String l = log.toLowerCase(Locale.ROOT);
            return l.contains("line_info") || l.contains("func_info") || l.contains("invalid btf")
                    || l.contains("invalid name");
        }

        /** Fills program arrays and maps of maps as the object initialises them. */
        private void fill(Map<String, KernelMap> maps, Map<String, KernelProgram> programs) {
            for (MapSpec spec : object.maps()) {
                KernelMap m = maps.get(spec.name());
                for (var e : new java.util.TreeMap<>(spec.initialPrograms()).entrySet()) {
                    KernelProgram p = programs.get(e.getValue());
                    if (p == null) {
                        throw new IllegalArgumentException("map '" + spec.name() + "' slot " + e.getKey()
                                + " names program '" + e.getValue() + "', which the object does not have");
                    }
                    m.update(slotKey(spec, e.getKey()), u32(p.fd().get()));
                }
                for (var e : new java.util.TreeMap<>(spec.initialMaps()).entrySet()) {
                    KernelMap inner = maps.get(e.getValue());
                    if (inner == null) {
                        throw new IllegalArgumentException("map '" + spec.name() + "' slot " + e.getKey()
                                + " names map '" + e.getValue() + "', which the object does not have");
                    }
                    m.update(slotKey(spec, e.getKey()), u32(inner.fd().get()));
                }
            }
        }

        private static byte[] slotKey(MapSpec spec, int slot) {
            byte[] k = new byte[spec.keySize()];
            byte[] v = u32(slot);
            System.arraycopy(v, 0, k, 0, Math.min(4, k.length));
            return k;
        }

        private static byte[] u32(int v) {
            return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
        }
    }
}
