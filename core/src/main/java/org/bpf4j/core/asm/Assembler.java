package org.bpf4j.core.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;

/**
 * Assembles eBPF source text in either {@link Syntax} into instructions.
 *
 * <p>Both syntaxes share the layout of a source: one instruction per line, blank lines, comments ({@code #} to the
 * end of the line; in {@link Syntax#LLVM} also {@code //}), and labels ({@code name:}, alone on a line or before an
 * instruction). A jump or local call names its target by a label or by a signed slot offset relative to the next
 * instruction ({@code +3}, {@code -2}). The label {@code exit}, unless defined, means the first {@code exit}
 * instruction, as the conformance suite uses it.
 *
 * <p>Numbers are decimal or {@code 0x} hex, optionally negative. A 32-bit immediate in decimal must fit a signed
 * int; in hex it may also be a bit pattern up to {@code 0xffffffff} (so {@code 0x80000000} is allowed,
 * {@code 2147483648} is not, as the conformance suite's negative tests require). A {@code lddw} immediate may be
 * anything from -2^63 to 2^64-1; memory offsets and 16-bit jump offsets are signed 16-bit values.
 *
 * <p>Every error in the text is reported as an {@link AssemblyException} naming the line; no other exception
 * escapes for any input string.
 */
public final class Assembler {
    private Assembler() {}

    /** Assembles a whole source into its instructions, in order. */
    public static List<Instruction> assemble(String source, Syntax syntax) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(syntax, "syntax");
        List<Pending> pending = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        Map<String, Integer> labelLines = new HashMap<>();
        String[] lines = source.split("\r\n|\r|\n", -1);
        int slot = 0;
        int firstExit = -1;
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String text = stripComment(lines[i], syntax).trim();
            int colon;
            while ((colon = Syntax.labelEnd(text)) >= 0) {
                String label = text.substring(0, colon).trim();
                Integer previous = labelLines.putIfAbsent(label, number);
                if (previous != null) {
                    throw new AssemblyException(number, "duplicate label " + label + " (first on line " + previous + ")");
                }
                labels.put(label, slot);
                text = text.substring(colon + 1).trim();
            }
            if (text.isEmpty()) {
                continue;
            }
            Pending p = parseLine(text, number, syntax);
            if (firstExit < 0 && p instanceof Pending.Ready r && r.insn() instanceof Instruction.Exit) {
                firstExit = slot;
            }
            pending.add(p);
            slot += p.slots();
        }
        if (firstExit >= 0) {
            labels.putIfAbsent("exit", firstExit);
        }
        List<Instruction> out = new ArrayList<>(pending.size());
        int at = 0;
        for (Pending p : pending) {
            int here = at;
            out.add(guard(p.line(), () -> p.resolve(labels, here)));
            at += p.slots();
        }
        return out;
    }

    /** Assembles a whole source into raw 8-byte slots ({@code lddw} takes two). */
    public static long[] assembleToSlots(String source, Syntax syntax) {
        return InstructionCodec.encode(assemble(source, syntax));
    }

    private static Pending parseLine(String text, int line, Syntax syntax) {
        return guard(line, () -> switch (syntax) {
            case CONFORMANCE -> ConformanceParser.parse(text, line);
            case LLVM -> LlvmParser.parse(text, line);
        });
    }

    /**
     * Runs a step of the assembly, turning any exception other than {@link AssemblyException} (an instruction
     * record refusing a value the parsers let through) into one that names the line.
     */
    private static <T> T guard(int line, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (AssemblyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AssemblyException(line, "invalid instruction: " + e.getMessage());
        }
    }

    static String stripComment(String line, Syntax syntax) {
        int cut = line.indexOf('#');
        if (syntax == Syntax.LLVM) {
            int slashes = line.indexOf("//");
            if (slashes >= 0 && (cut < 0 || slashes < cut)) {
                cut = slashes;
            }
        }
        return cut < 0 ? line : line.substring(0, cut);
    }
}
