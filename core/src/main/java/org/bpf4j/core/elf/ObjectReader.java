package org.bpf4j.core.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.bpf4j.core.btf.Btf;
import org.bpf4j.core.btf.BtfExt;
import org.bpf4j.core.btf.BtfFormatException;
import org.bpf4j.core.elf.ElfFile.Section;
import org.bpf4j.core.elf.ElfFile.Symbol;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.FunctionInfo;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.object.SourceLine;

/**
 * Reads a relocatable BPF object, as {@code clang -O2 -g -target bpf} writes it, into a {@link BpfObject}: its
 * programs linked with their subprograms and relocated to the index forms, its maps (BTF-defined in {@code .maps},
 * legacy in {@code maps}, and global data), its license and its BTF.
 *
 * <h2>Programs</h2>
 * Every function symbol of an executable section other than {@code .text} is a program, typed by its section name
 * ({@link ProgramType#ofSection}, {@link ProgramType#UNSPEC} when the name says nothing); a section with code but no
 * function symbol is one program named after the section. When there is no such section, every global function of
 * {@code .text} is a program of type {@link ProgramType#UNSPEC} (BPFabric's style; pick the type with
 * {@link ProgramSpec#withType}). Functions reached from a program by a local call ({@code call} with src 1, either
 * relocated against a function or section symbol, or already relative within its section) or by a function
 * reference ({@code lddw} relocated against a function, or with src {@code PSEUDO_FUNC}) are appended after the
 * program's own code, transitively and once each, and the call's immediate (or the {@code lddw}'s, whose source
 * becomes {@code PSEUDO_FUNC}) is set to the relative offset of the copy.
 *
 * <h2>Relocations</h2>
 * {@code R_BPF_64_64} on a {@code lddw} against a map symbol of {@code .maps} or {@code maps} becomes
 * {@code MAP_IDX} (src 5) with imm = index into {@link BpfObject#maps()}; against a symbol of a global data section
 * ({@code .data*}, {@code .rodata*}, {@code .bss*}), or that section's symbol, {@code MAP_IDX_VALUE} (src 6) with
 * imm = index and the second slot's imm = symbol value + the addend the instruction held. {@code R_BPF_64_32} on a
 * local call is the call's target. Anything else in code (a relocation outside the code, not on an instruction, on
 * the wrong instruction, against an extern or of another type) is an error naming the section, the instruction and
 * the symbol.
 *
 * <h2>BTF</h2>
 * {@code .BTF} is checked ({@link Btf#parse}) and stored, with every DATASEC's size and variable offsets set from
 * the ELF section sizes and symbol values (clang leaves them 0 in an object; a loader must fill them in before the
 * kernel accepts the BTF). {@code .BTF.ext} gives each program's {@link FunctionInfo}s and {@link SourceLine}s at
 * their linked instruction indexes (byte offset / 8 + where the function was placed). Line info is kept as clang
 * wrote it, line-0 entries (instructions without a source location) included, so that each function's first
 * instruction has its entry, as the kernel requires. CO-RE relocations in a program are refused.
 *
 * <h2>Errors</h2>
 * Whatever the bytes, {@link #read} either returns or throws an {@link ObjectFormatException}
 * ({@link UnsupportedFeatureException} for well-formed features bpf4j does not implement), whose message starts with
 * the object's name. No size in the file makes it allocate more than the file's own size, except a {@code .bss}
 * section, which is limited to {@value #MAX_GLOBAL_DATA} bytes.
 */
public final class ObjectReader {
    /** Largest global data section accepted, in bytes (64 MiB; the kernel's limit is lower). */
    public static final int MAX_GLOBAL_DATA = 1 << 26;

    static final int R_BPF_NONE = 0, R_BPF_64_64 = 1, R_BPF_64_ABS64 = 2, R_BPF_64_ABS32 = 3, R_BPF_64_NODYLD32 = 4,
            R_BPF_64_32 = 10;
    static final int OP_LDDW = 0x18, OP_CALL = 0x85;
    static final int PSEUDO_FUNC = 4, PSEUDO_MAP_IDX = 5, PSEUDO_MAP_IDX_VALUE = 6;

    private ObjectReader() {}

    /** Reads an object file; its file name becomes {@link BpfObject#name()}. */
    public static BpfObject read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Path fileName = file.getFileName();
        return read(fileName == null ? file.toString() : fileName.toString(), bytes);
    }

    /** Reads an object from its bytes; {@code name} names it in the result and in error messages. */
    public static BpfObject read(String name, byte[] bytes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Loader(name, ElfFile.parse(name, bytes)).load();
        } catch (UnsupportedFeatureException e) {
            throw new UnsupportedFeatureException(name + ": " + e.getMessage(), e);
        } catch (ObjectFormatException e) {
            throw new ObjectFormatException(name + ": " + e.getMessage(), e);
        } catch (BtfFormatException e) {
            throw new ObjectFormatException(name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A safety net: no input may make the reader fail in any other way. Tests treat this as a bug.
            throw new ObjectFormatException(name + ": internal error while reading the object: " + e, e);
        }
    }

    // ---- what the linker works with

    /** A function of an executable section: slots [start, end). */
    record Func(Section section, int start, int end, String name, boolean global) {
        int length() {
            return end - start;
        }
    }

    /** What a relocated or relative instruction refers to. */
    sealed interface Target {}

    record MapRef(int map) implements Target {}

    record DataRef(int map, long offset) implements Target {}

    /** A function, at its first instruction. */
    record FuncRef(Func func) implements Target {}

    /** An executable section: its slots, functions and resolved references by slot index. */
    record Code(Section section, long[] slots, List<Func> functions, NavigableMap<Integer, Target> targets) {}

    /** A map's place in {@code .maps} or {@code maps}. */
    record MapSlot(int section, long offset, long size, int map, String name) {}

    static final class Loader {
        private final String name;
        private final ElfFile elf;
        private Btf btf;
        private BtfExt ext;
        private final List<MapSpec> maps = new ArrayList<>();
        private final List<MapSlot> mapSlots = new ArrayList<>();
        private final Map<Integer, Integer> dataMaps = new HashMap<>();
        private final Map<Integer, Code> code = new LinkedHashMap<>();
        private final List<Func> programs = new ArrayList<>();

        Loader(String name, ElfFile elf) {
            this.name = name;
            this.elf = elf;
        }

        BpfObject load() {
            String license = license();
            Section btfSection = elf.section(".BTF");
            if (btfSection != null) {
                btf = Btf.parse(elf.contents(btfSection));
            }
            Section extSection = elf.section(".BTF.ext");
            if (extSection != null) {
                if (btf == null) {
                    throw new ObjectFormatException("section .BTF.ext: there is no .BTF section for its strings");
                }
                ext = BtfExt.parse(elf.contents(extSection), btf);
            }
            for (Section s : elf.sections) {
                if (s.executable() && s.size() > 0) {
                    code.put(s.index(), new Code(s, slots(s), functions(s), new TreeMap<>()));
                }
            }
            findPrograms();
            new MapReader(elf, btf, maps, mapSlots, dataMaps, this::isProgram).read();
            for (Code c : code.values()) {
                resolve(c);
            }
            List<ProgramSpec> specs = new ArrayList<>();
            for (Func p : programs) {
                specs.add(link(p, license));
            }
            Optional<byte[]> btfBytes = Optional.ofNullable(btf).map(b -> b.withDatasecLayout(new Layout()));
            return new BpfObject(name, specs, maps, license, btfBytes);
        }

        private boolean isProgram(Symbol sym) {
            for (Func p : programs) {
                if (p.section().index() == sym.shndx() && p.start() * 8L == sym.value() && p.name().equals(sym.name())) {
                    return true;
                }
            }
            return false;
        }

        private String license() {
            Section s = elf.section("license");
            if (s == null) {
                return "";
            }
            byte[] b = elf.contents(s);
            int end = 0;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            return new String(b, 0, end, StandardCharsets.UTF_8);
        }

        private long[] slots(Section s) {
            if (s.size() % 8 != 0) {
                throw new ObjectFormatException("section " + s.name() + ": " + s.size()
                        + " bytes of code, not a whole number of 8-byte instructions");
            }
            byte[] b = elf.contents(s);
            long[] out = new long[b.length / 8];
            for (int i = 0; i < out.length; i++) {
                long v = 0;
                for (int k = 7; k >= 0; k--) {
                    v = v << 8 | (b[i * 8 + k] & 0xffL);
                }
                out[i] = v;
            }
            return out;
        }

        /** The functions of a section, by their symbols, sorted by start; the whole section when it has none. */
        private List<Func> functions(Section s) {
            int n = (int) (s.size() / 8);
            List<Symbol> syms = new ArrayList<>();
            for (Symbol sym : elf.symbols) {
                if (sym.shndx() == s.index() && sym.type() == ElfFile.STT_FUNC) {
                    syms.add(sym);
                }
            }
            if (syms.isEmpty()) {
                return List.of(new Func(s, 0, n, s.name(), true));
            }
            syms.sort(Comparator.comparingLong(Symbol::value));
            List<Func> out = new ArrayList<>();
            for (int i = 0; i < syms.size(); i++) {
                Symbol sym = syms.get(i);
                String where = "section " + s.name() + ", function " + sym.describe();
                if (sym.value() < 0 || sym.value() % 8 != 0 || sym.value() / 8 >= n) {
                    throw new ObjectFormatException(where + ": starts at byte " + Long.toUnsignedString(sym.value())
                            + ", which is not an instruction of the section (" + s.size() + " bytes)");
                }
                if (sym.size() < 0 || sym.size() % 8 != 0) {
                    throw new ObjectFormatException(where + ": size " + Long.toUnsignedString(sym.size())
                            + " is not a whole number of instructions");
                }
                int start = (int) (sym.value() / 8);
                long end = sym.size() == 0
                        ? (i + 1 < syms.size() && syms.get(i + 1).value() > sym.value() ? syms.get(i + 1).value() / 8 : n)
                        : start + sym.size() / 8;
                if (end > n) {
                    throw new ObjectFormatException(where + ": its " + sym.size() + " bytes run past the end of the"
                            + " section (" + s.size() + " bytes)");
                }
                if (!out.isEmpty() && out.getLast().start() == start) {
                    continue; // an alias
                }
                if (!out.isEmpty() && out.getLast().end() > start) {
                    throw new ObjectFormatException(where + ": overlaps function '" + out.getLast().name() + "'");
                }
                boolean global = sym.bind() == ElfFile.STB_GLOBAL || sym.bind() == ElfFile.STB_WEAK;
                out.add(new Func(s, start, (int) end, sym.name(), global));
            }
            return out;
        }

        private void findPrograms() {
            boolean sections = code.values().stream().anyMatch(c -> !c.section().name().equals(".text"));
            for (Code c : code.values()) {
                boolean text = c.section().name().equals(".text");
                if (sections && !text) {
                    programs.addAll(c.functions());
                } else if (!sections && text) {
                    c.functions().stream().filter(Func::global).forEach(programs::add);
                }
            }
        }

        /** Checks a section's relocations and references and records their targets. */
        private void resolve(Code c) {
            Section s = c.section();
            long[] slots = c.slots();
            Map<Integer, Symbol> relocs = new HashMap<>();
            Map<Integer, Integer> relocTypes = new HashMap<>();
            for (ElfFile.Relocation r : elf.relocations(s)) {
                String where = "section " + s.name() + ", relocation " + r.number() + " at byte "
                        + Long.toUnsignedString(r.offset());
                if (r.type() == R_BPF_NONE) {
                    continue;
                }
                Symbol sym = elf.symbol(r.symbol(), where);
                where += " against symbol " + sym.describe();
                if (r.offset() < 0 || r.offset() >= s.size()) {
                    throw new ObjectFormatException(where + ": points outside the code (" + s.size() + " bytes)");
                }
                if (r.offset() % 8 != 0) {
                    throw new ObjectFormatException(where + ": is not on an instruction boundary");
                }
                int k = (int) (r.offset() / 8);
                String insn = "section " + s.name() + ", instruction " + k + ": relocation against symbol "
                        + sym.describe();
                int op = (int) (slots[k] & 0xff);
                switch (r.type()) {
                    case R_BPF_64_64 -> {
                        if (op != OP_LDDW) {
                            throw new ObjectFormatException(insn + " (R_BPF_64_64) is on opcode 0x"
                                    + String.format("%02x", op) + ", not on a lddw");
                        }
                    }
                    case R_BPF_64_32 -> {
                        if (op != OP_CALL) {
                            throw new ObjectFormatException(insn + " (R_BPF_64_32) is on opcode 0x"
                                    + String.format("%02x", op) + ", not on a call");
                        }
                    }
                    default -> throw new UnsupportedFeatureException(insn + ": relocation type " + r.type()
                            + " is not supported in code");
                }
                if (relocs.put(k, sym) != null) {
                    throw new ObjectFormatException(insn + ": the instruction has a second relocation");
                }
                relocTypes.put(k, r.type());
            }
            for (int k = 0; k < slots.length; ) {
                long slot = slots[k];
                int op = (int) (slot & 0xff);
                int src = (int) ((slot >>> 12) & 0xf);
                int imm = (int) (slot >>> 32);
                Symbol sym = relocs.get(k);
                String insn = "section " + s.name() + ", instruction " + k;
                if (op == OP_LDDW) {
                    if (k + 1 >= slots.length) {
                        throw new ObjectFormatException(insn + ": lddw is cut short by the end of the section");
                    }
                    if (relocs.containsKey(k + 1)) {
                        throw new ObjectFormatException("section " + s.name() + ", instruction " + (k + 1)
                                + ": relocation against symbol " + relocs.get(k + 1).describe()
                                + " is on the second half of a lddw");
                    }
                    if (sym != null) {
                        c.targets().put(k, lddwTarget(c, k, sym, src, imm));
                    } else if (src == PSEUDO_FUNC) {
                        c.targets().put(k, new FuncRef(functionAt(c, k, (long) k + 1 + imm, "function reference")));
                    } else if (src != 0) {
                        throw new UnsupportedFeatureException(insn + ": lddw with pseudo source " + src + " ("
                                + pseudoName(src) + ") and no relocation is not supported");
                    }
                    k += 2;
                    continue;
                }
                if (op == OP_CALL) {
                    if (sym != null) {
                        c.targets().put(k, callTarget(c, k, sym, src, imm));
                    } else if (src == 1) {
                        c.targets().put(k, new FuncRef(functionAt(c, k, (long) k + 1 + imm, "call")));
                    } else if (src == 2) {
                        throw new UnsupportedFeatureException(insn + ": kfunc calls (call with src 2, BTF id " + imm
                                + ") are not supported");
                    }
                }
                k++;
            }
        }

        private Target lddwTarget(Code c, int k, Symbol sym, int src, int addend) {
            String insn = "section " + c.section().name() + ", instruction " + k + ": lddw relocated against symbol "
                    + sym.describe();
            Section target = symbolSection(sym, insn);
            if (target.executable()) {
                if (src != 0 && src != PSEUDO_FUNC) {
                    throw new ObjectFormatException(insn + " already has pseudo source " + src);
                }
                long at = sym.value() + addend;
                if (at % 8 != 0) {
                    throw new ObjectFormatException(insn + ": function reference to byte " + at
                            + ", which is not an instruction");
                }
                return new FuncRef(functionAt(code.get(target.index()), c, k, at / 8, "function reference"));
            }
            if (src != 0) {
                throw new ObjectFormatException(insn + " already has pseudo source " + src);
            }
            long offset = sym.value() + addend;
            Integer data = dataMaps.get(target.index());
            if (data != null) {
                MapSpec m = maps.get(data);
                if (offset < 0 || offset >= m.valueSize()) {
                    throw new ObjectFormatException(insn + ": offset " + offset + " lies outside " + m.name() + " ("
                            + m.valueSize() + " bytes)");
                }
                return new DataRef(data, offset);
            }
            for (MapSlot slot : mapSlots) {
                if (slot.section() == target.index() && slot.offset() == offset) {
                    return new MapRef(slot.map());
                }
            }
            if (mapSlots.stream().anyMatch(m -> m.section() == target.index())) {
                throw new ObjectFormatException(insn + ": byte " + offset + " of section " + target.name()
                        + " is the start of no map");
            }
            throw new ObjectFormatException(insn + ": section " + target.name()
                    + " holds no map, global data or code");
        }

        private Target callTarget(Code c, int k, Symbol sym, int src, int imm) {
            String insn = "section " + c.section().name() + ", instruction " + k + ": call relocated against symbol "
                    + sym.describe();
            if (src == 2 || sym.shndx() == ElfFile.SHN_UNDEF) {
                throw new UnsupportedFeatureException(insn + ": calls to kernel functions (kfuncs) and externs are"
                        + " not supported");
            }
            if (src != 1) {
                throw new ObjectFormatException(insn + ": the call has source " + src + ", not 1 (local call)");
            }
            Section target = symbolSection(sym, insn);
            if (!target.executable()) {
                throw new ObjectFormatException(insn + ": symbol is in section " + target.name() + ", which is no code");
            }
            if (sym.value() % 8 != 0) {
                throw new ObjectFormatException(insn + ": symbol value " + sym.value() + " is not an instruction");
            }
            return new FuncRef(functionAt(code.get(target.index()), c, k, sym.value() / 8 + imm + 1, "call"));
        }

        private Section symbolSection(Symbol sym, String insn) {
            switch (sym.type()) {
                case ElfFile.STT_NOTYPE, ElfFile.STT_OBJECT, ElfFile.STT_FUNC, ElfFile.STT_SECTION -> { }
                default -> throw new ObjectFormatException(insn + ": symbol type " + sym.type() + " is not supported");
            }
            if (sym.shndx() == ElfFile.SHN_UNDEF) {
                throw new UnsupportedFeatureException(insn + ": extern symbols (.kconfig, .ksyms) are not supported");
            }
            if (sym.shndx() == ElfFile.SHN_ABS || sym.shndx() == ElfFile.SHN_COMMON) {
                throw new ObjectFormatException(insn + ": the symbol is " + (sym.shndx() == ElfFile.SHN_ABS
                        ? "absolute" : "common (compile with -fno-common)") + ", not a map, global data or function");
            }
            return elf.sections.get(sym.shndx());
        }

        private Func functionAt(Code c, int k, long insn, String what) {
            return functionAt(c, c, k, insn, what);
        }

        /** The function of {@code target} that starts at instruction {@code insn}. */
        private Func functionAt(Code target, Code from, int k, long insn, String what) {
            String where = "section " + from.section().name() + ", instruction " + k + ": " + what;
            if (target == null) {
                throw new ObjectFormatException(where + " into an empty section");
            }
            if (insn < 0 || insn >= target.slots().length) {
                throw new ObjectFormatException(where + " to instruction " + insn + ", outside section "
                        + target.section().name() + " (" + target.slots().length + " instructions)");
            }
            for (Func f : target.functions()) {
                if (f.start() == insn) {
                    return f;
                }
                if (f.start() < insn && insn < f.end()) {
                    throw new ObjectFormatException(where + " to instruction " + insn + " of section "
                            + target.section().name() + ", in the middle of function '" + f.name() + "'");
                }
            }
            throw new ObjectFormatException(where + " to instruction " + insn + " of section "
                    + target.section().name() + ", which is in no function");
        }

        /** The program's code with every function it reaches appended, and references rewritten. */
        private ProgramSpec link(Func main, String license) {
            List<Func> placed = new ArrayList<>();
            Map<Func, Integer> at = new HashMap<>();
            placed.add(main);
            at.put(main, 0);
            int length = main.length();
            for (int i = 0; i < placed.size(); i++) {
                Func f = placed.get(i);
                Code c = code.get(f.section().index());
                for (Target t : c.targets().subMap(f.start(), f.end()).values()) {
                    if (t instanceof FuncRef(Func callee) && !at.containsKey(callee)) {
                        placed.add(callee);
                        at.put(callee, length);
                        length += callee.length();
                    }
                }
            }
            long[] out = new long[length];
            List<FunctionInfo> functions = new ArrayList<>();
            List<SourceLine> lines = new ArrayList<>();
            for (Func f : placed) {
                Code c = code.get(f.section().index());
                int base = at.get(f);
                System.arraycopy(c.slots(), f.start(), out, base, f.length());
                for (var e : c.targets().subMap(f.start(), f.end()).entrySet()) {
                    int k = e.getKey();
                    int g = base + k - f.start();
                    boolean lddw = (out[g] & 0xff) == OP_LDDW;
                    if (lddw && k + 1 >= f.end()) {
                        throw new ObjectFormatException("section " + f.section().name() + ", instruction " + k
                                + ": lddw crosses the end of function '" + f.name() + "'");
                    }
                    switch (e.getValue()) {
                        case MapRef(int map) -> {
                            out[g] = withSrcImm(out[g], PSEUDO_MAP_IDX, map);
                            out[g + 1] = withImm(out[g + 1], 0);
                        }
                        case DataRef(int map, long offset) -> {
                            out[g] = withSrcImm(out[g], PSEUDO_MAP_IDX_VALUE, map);
                            out[g + 1] = withImm(out[g + 1], (int) offset);
                        }
                        case FuncRef(Func callee) -> {
                            int relative = at.get(callee) - (g + 1);
                            if (lddw) {
                                out[g] = withSrcImm(out[g], PSEUDO_FUNC, relative);
                                out[g + 1] = withImm(out[g + 1], 0);
                            } else {
                                out[g] = withImm(out[g], relative);
                            }
                        }
                    }
                }
                functions.add(new FunctionInfo(base, f.name(), funcTypeId(f)));
                lines.addAll(lines(f, base));
                checkNoCoRe(f);
            }
            lines.sort(Comparator.comparingInt(SourceLine::instruction));
            ProgramType type = main.section().name().equals(".text") ? ProgramType.UNSPEC
                    : Objects.requireNonNullElse(ProgramType.ofSection(main.section().name()), ProgramType.UNSPEC);
            return new ProgramSpec(main.name(), main.section().name(), type, out, license, functions, lines);
        }

        private int funcTypeId(Func f) {
            if (ext == null) {
                return 0;
            }
            for (BtfExt.FuncInfo fi : ext.funcInfo(f.section().name())) {
                if (fi.insnOffset() == f.start() * 8L) {
                    return fi.typeId();
                }
            }
            return 0;
        }

        private List<SourceLine> lines(Func f, int base) {
            List<SourceLine> out = new ArrayList<>();
            if (ext == null) {
                return out;
            }
            for (BtfExt.LineInfo li : ext.lineInfo(f.section().name())) {
                if (li.insnOffset() < f.start() * 8L || li.insnOffset() >= f.end() * 8L) {
                    continue;
                }
                if (li.insnOffset() % 8 != 0) {
                    throw new ObjectFormatException("section .BTF.ext: line info for section " + f.section().name()
                            + " at byte " + li.insnOffset() + " is not on an instruction");
                }
                out.add(new SourceLine(base + (int) (li.insnOffset() / 8) - f.start(), li.file(), li.line(),
                        li.column(), li.text()));
            }
            return out;
        }

        private void checkNoCoRe(Func f) {
            if (ext == null) {
                return;
            }
            for (BtfExt.CoreRelo r : ext.coreRelos(f.section().name())) {
                if (r.insnOffset() >= f.start() * 8L && r.insnOffset() < f.end() * 8L) {
                    String type = r.typeId() >= 0 && r.typeId() <= btf.typeCount() ? btf.describe(r.typeId())
                            : "type " + Integer.toUnsignedString(r.typeId());
                    throw new UnsupportedFeatureException("section " + f.section().name() + ", instruction "
                            + r.insnOffset() / 8 + " (function '" + f.name() + "'): CO-RE relocations are not"
                            + " supported (relocation kind " + r.kind() + " on " + type + ", access \"" + r.access()
                            + "\")");
                }
            }
        }

        private static long withSrcImm(long slot, int src, int imm) {
            return (slot & 0x0fffL) | ((slot & 0xffff_0000L)) | ((long) src << 12) | ((long) imm << 32);
        }

        private static long withImm(long slot, int imm) {
            return (slot & 0xffff_ffffL) | ((long) imm << 32);
        }

        private static String pseudoName(int src) {
            return switch (src) {
                case 1 -> "MAP_FD";
                case 2 -> "MAP_VALUE";
                case 3 -> "BTF_ID";
                case 4 -> "FUNC";
                case 5 -> "MAP_IDX";
                case 6 -> "MAP_IDX_VALUE";
                default -> "unknown";
            };
        }

        /** DATASEC sizes and variable offsets from the ELF sections and symbols. */
        private final class Layout implements Btf.SectionLayout {
            @Override
            public OptionalLong sectionSize(String section) {
                Section s = elf.section(section);
                return s == null ? OptionalLong.empty() : OptionalLong.of(s.size());
            }

            @Override
            public OptionalLong variableOffset(String section, String variable) {
                Section s = elf.section(section);
                if (s == null) {
                    return OptionalLong.empty();
                }
                for (Symbol sym : elf.symbols) {
                    if (sym.shndx() == s.index() && !sym.isSection() && sym.name().equals(variable)
                            && sym.type() != ElfFile.STT_FILE) {
                        return OptionalLong.of(sym.value());
                    }
                }
                return OptionalLong.empty();
            }
        }
    }
}
