package org.bpf4j.core.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bpf4j.core.asm.Disassembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.btf.Btf;
import org.bpf4j.core.btf.BtfExt;
import org.bpf4j.core.elf.ElfFile.Section;
import org.bpf4j.core.elf.ElfFile.Symbol;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;

/**
 * The listing {@code llvm-objdump -d -S --mcpu=v4 OBJ} prints for a BPF object: every non-empty executable section,
 * symbol by symbol, each instruction as {@code %8d:\t<bytes>\t<text>}, jump targets annotated with the symbol they
 * land in, and the source lines of {@code .BTF.ext}'s line info interleaved as {@code ; text}.
 *
 * <p>It shows the raw sections, before any linking: relocated {@code lddw}s print their unrelocated immediate
 * ({@code r1 = 0x0 ll}) and calls their raw immediate, as llvm-objdump does. Instruction text comes from
 * {@link Disassembler} in {@link Syntax#LLVM}, except where that deliberately differs from LLVM: local and kfunc
 * calls print {@code call 0x5}, a {@code lddw} with a pseudo source {@code ld_pseudo\tr1, 0x4, 0x5}, and an indirect
 * legacy load drops its immediate, as LLVM 19 does.
 *
 * <p>Differences from llvm-objdump, which reads DWARF line tables and the source files themselves:
 * <ul>
 *   <li>source lines come from BTF line info, which has one entry where clang's line changes rather than one per
 *       instruction: a function's first instruction shows its declaration line (DWARF says the line of the
 *       {@code {}), and a line is not repeated after an intervening line-0 entry that only DWARF has;</li>
 *   <li>without {@code .BTF.ext} (or when it is damaged) no source lines are printed at all.</li>
 * </ul>
 */
public final class ObjectDump {
    private ObjectDump() {}

    /** The listing of an object file, named in the header as the path is given. */
    public static String dump(Path file) throws IOException {
        return dump(file.toString(), Files.readAllBytes(file));
    }

    /**
     * The listing of an object. Throws {@link ObjectFormatException} when the ELF structure itself (header,
     * section headers, symbols) is broken; damaged code prints as llvm-objdump prints it.
     */
    public static String dump(String name, byte[] bytes) {
        Objects.requireNonNull(name, "name");
        ElfFile elf;
        try {
            elf = ElfFile.parse(name, bytes);
        } catch (ObjectFormatException e) {
            throw new ObjectFormatException(name + ": " + e.getMessage(), e);
        }
        BtfExt ext = lineInfo(elf);
        StringBuilder out = new StringBuilder();
        out.append('\n').append(name).append(":\tfile format elf64-bpf\n");
        Map<String, String> last = new HashMap<>();
        for (Section s : elf.sections) {
            if (!s.executable() || s.size() == 0) {
                continue;
            }
            byte[] code;
            try {
                code = elf.contents(s);
            } catch (ObjectFormatException e) {
                throw new ObjectFormatException(name + ": " + e.getMessage(), e);
            }
            out.append("\nDisassembly of section ").append(s.name()).append(":\n");
            section(out, s, code, symbols(elf, s), ext == null ? List.of() : ext.lineInfo(s.name()), last);
        }
        return out.toString();
    }

    private static BtfExt lineInfo(ElfFile elf) {
        try {
            Section b = elf.section(".BTF"), e = elf.section(".BTF.ext");
            if (b == null || e == null) {
                return null;
            }
            return BtfExt.parse(elf.contents(e), Btf.parse(elf.contents(b)));
        } catch (RuntimeException ex) {
            return null; // no source lines, as llvm-objdump without usable debug info
        }
    }

    private record Label(long address, String name) {}

    /** The labels llvm-objdump prints in a section: its symbols but section and file symbols, by address. */
    private static List<Label> symbols(ElfFile elf, Section s) {
        List<Label> labels = new ArrayList<>();
        for (Symbol sym : elf.symbols) {
            if (sym.shndx() == s.index() && sym.type() != ElfFile.STT_SECTION && sym.type() != ElfFile.STT_FILE) {
                labels.add(new Label(sym.value(), sym.name()));
            }
        }
        labels.sort(Comparator.comparing(Label::address, Long::compareUnsigned));
        if (labels.isEmpty() || labels.getFirst().address() != 0) {
            labels.addFirst(new Label(0, s.name()));
        }
        return labels;
    }

    private static void section(StringBuilder out, Section s, byte[] code, List<Label> labels,
            List<BtfExt.LineInfo> lines, Map<String, String> last) {
        Map<Long, BtfExt.LineInfo> lineAt = new HashMap<>();
        for (BtfExt.LineInfo l : lines) {
            lineAt.putIfAbsent(l.insnOffset(), l);
        }
        for (int i = 0; i < labels.size(); i++) {
            Label label = labels.get(i);
            if (Long.compareUnsigned(label.address(), code.length) >= 0) {
                break;
            }
            long end = code.length;
            for (int j = i + 1; j < labels.size(); j++) {
                long next = labels.get(j).address();
                if (next != label.address()) {
                    if (Long.compareUnsigned(next, end) < 0) {
                        end = next;
                    }
                    break;
                }
            }
            out.append('\n').append(String.format("%016x", label.address())).append(" <").append(label.name())
                    .append(">:\n");
            if (i + 1 < labels.size() && labels.get(i + 1).address() == label.address()) {
                continue;
            }
            walk(out, code, (int) label.address(), (int) end, labels, lineAt, last);
        }
    }

    /** Disassembles bytes [from, to) as llvm-objdump walks them. */
    private static void walk(StringBuilder out, byte[] code, int from, int to, List<Label> labels,
            Map<Long, BtfExt.LineInfo> lineAt, Map<String, String> last) {
        int i = from;
        while (i < to) {
            int zeros = 0;
            while (i + zeros < to && code[i + zeros] == 0) {
                zeros++;
            }
            if (zeros >= 8) {
                out.append("\t\t...\n");
                i += zeros & ~3;
                continue;
            }
            BtfExt.LineInfo line = lineAt.get((long) i);
            if (line != null) {
                String key = line.file() + ":" + line.line();
                if (line.line() != 0 && !key.equals(last.get("line"))) {
                    out.append("; ").append(line.text()).append('\n');
                }
                last.put("line", key);
            }
            int size = 1;
            String text = "<unknown>";
            boolean lddw = Byte.toUnsignedInt(code[i]) == ObjectReader.OP_LDDW;
            if (to - i >= 8 && !(lddw && to - i < 16)) {
                size = 8;
                long[] window = lddw ? new long[] {read(code, i), read(code, i + 8)} : new long[] {read(code, i)};
                try {
                    Instruction insn = InstructionCodec.decode(window, 0);
                    size = insn.slots() * 8;
                    text = text(insn) + annotation(insn, i, labels);
                } catch (IllegalArgumentException e) {
                    // Undecodable: printed as llvm-objdump does, and the walk goes on after the slot.
                }
            }
            out.append(String.format("%8d:\t", i / 8)).append(hex(code, i, size)).append('\t').append(text)
                    .append('\n');
            i += size;
        }
    }

    /** The instruction as LLVM 19 prints it. */
    private static String text(Instruction insn) {
        return switch (insn) {
            case Instruction.Call c when c.kind() != Instruction.Call.Kind.HELPER -> "call " + hex(c.imm());
            case Instruction.LoadImm64 l when l.pseudo() != Instruction.LoadImm64.Pseudo.NONE ->
                    "ld_pseudo\tr" + l.dst() + ", " + hex(l.pseudo().code()) + ", 0x" + Long.toHexString(l.imm() & 0xffff_ffffL);
            case Instruction.LegacyLoad l when l.indirect() ->
                    Disassembler.format(new Instruction.LegacyLoad(l.size(), true, l.src(), 0), Syntax.LLVM);
            default -> Disassembler.format(insn, Syntax.LLVM);
        };
    }

    /** {@code <label+0x..>} after a jump: the label at or before the target, addresses compared unsigned. */
    private static String annotation(Instruction insn, long address, List<Label> labels) {
        long offset;
        switch (insn) {
            case Instruction.Branch b -> offset = b.offset();
            case Instruction.Goto g -> offset = g.offset();
            default -> {
                return "";
            }
        }
        long target = address + 8 + offset * 8;
        Label best = labels.getFirst();
        for (Label l : labels) {
            if (Long.compareUnsigned(l.address(), target) <= 0) {
                best = l;
            }
        }
        long delta = target - best.address();
        return delta == 0 ? " <" + best.name() + ">" : " <" + best.name() + "+0x" + Long.toHexString(delta) + ">";
    }

    private static String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    private static long read(byte[] bytes, int at) {
        long v = 0;
        for (int b = 7; b >= 0; b--) {
            v = v << 8 | Byte.toUnsignedLong(bytes[at + b]);
        }
        return v;
    }

    private static String hex(byte[] bytes, int from, int count) {
        StringBuilder sb = new StringBuilder(count * 3);
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", bytes[from + k]));
        }
        return sb.toString();
    }
}
