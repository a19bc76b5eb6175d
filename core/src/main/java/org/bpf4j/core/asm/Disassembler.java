package org.bpf4j.core.asm;

import java.util.Objects;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;
import org.bpf4j.core.isa.Opcodes;
import org.bpf4j.core.isa.Slot;

/**
 * Prints instructions as text in either {@link Syntax}; whatever it prints, {@link Assembler} reads back to the
 * same bytes.
 *
 * <p>{@link Syntax#LLVM} text is exactly what {@code llvm-objdump-19 -d --mcpu=v4} prints (numbers in signed hex,
 * {@code w} registers for 32-bit operations and accesses), except where LLVM's text would lose information:
 * <ul>
 *   <li>a local call ({@code src = 1}) prints {@code call pc+0x3} / {@code call pc-0x3}, the kernel verifier's
 *       notation (LLVM prints {@code call 0x3}, the same as a helper call);</li>
 *   <li>a kfunc call ({@code src = 2}) prints {@code call kfunc 0x5}, with {@code , 0x1} for a non-zero BTF object
 *       offset (LLVM prints {@code call 0x5});</li>
 *   <li>a {@code lddw} with a pseudo source prints {@code r1 = map_fd(0x3) ll}, {@code map_value(0x3, 0x10)},
 *       {@code btf_id(..)}, {@code func(+0x2)}, {@code map_idx(..)}, {@code map_idx_value(.., ..)}: the low 32 bits,
 *       then the high 32 bits when they are the value offset or non-zero (LLVM prints
 *       {@code ld_pseudo r1, 0x1, 0x3}, without the high half; the assembler reads that form too);</li>
 *   <li>an indirect legacy load with a non-zero immediate prints {@code r0 = *(u16 *)skb[r1 + 0x4]} (LLVM drops the
 *       immediate and prints {@code skb[r1]}, which is what is printed when it is zero).</li>
 * </ul>
 */
public final class Disassembler {
    private Disassembler() {}

    /** The text of one instruction, without address or bytes. */
    public static String format(Instruction insn, Syntax syntax) {
        Objects.requireNonNull(insn, "insn");
        return switch (Objects.requireNonNull(syntax, "syntax")) {
            case CONFORMANCE -> ConformanceFormatter.format(insn);
            case LLVM -> LlvmFormatter.format(insn);
        };
    }

    /**
     * A listing in the layout of {@code llvm-objdump -d}: one line {@code %8d:\t<bytes>\t<text>} per instruction,
     * the address being the slot index, a {@code lddw}'s 16 bytes on one line. It is the body llvm-objdump prints
     * for an ELF object whose {@code .text} section holds the slots, without the header lines; in {@link Syntax#LLVM}
     * that includes the {@code <.text+0x..>} annotation of jump targets.
     *
     * <p>Never throws for bad code: it walks the bytes as llvm-objdump does. A slot that does not decode prints
     * {@code <unknown>} and is skipped; a run of 8 or more zero bytes prints {@code \t\t...} and is skipped in steps
     * of 4 bytes (which may leave the rest misaligned, as in llvm-objdump); a {@code lddw} or a fragment cut short
     * by the end prints one {@code <unknown>} line per byte.
     */
    public static String listing(long[] slots, Syntax syntax) {
        Objects.requireNonNull(syntax, "syntax");
        byte[] bytes = Slot.toBytes(slots);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < bytes.length) {
            int zeros = 0;
            while (i + zeros < bytes.length && bytes[i + zeros] == 0) {
                zeros++;
            }
            if (zeros >= 8) {
                out.append("\t\t...\n");
                i += zeros & ~3;
                continue;
            }
            int size = 1;
            String text = "<unknown>";
            if (bytes.length - i >= 8 && !(Byte.toUnsignedInt(bytes[i]) == Opcodes.LDDW && bytes.length - i < 16)) {
                size = 8;
                boolean lddw = Byte.toUnsignedInt(bytes[i]) == Opcodes.LDDW;
                long[] window = lddw ? new long[] {read(bytes, i), read(bytes, i + 8)} : new long[] {read(bytes, i)};
                try {
                    Instruction insn = InstructionCodec.decode(window, 0);
                    size = insn.slots() * 8;
                    text = format(insn, syntax) + annotation(insn, i, syntax);
                } catch (IllegalArgumentException e) {
                    // Undecodable: printed as llvm-objdump does, and the walk goes on after the slot.
                }
            }
            out.append(String.format("%8d:\t", i / 8)).append(hex(bytes, i, size)).append('\t').append(text).append('\n');
            i += size;
        }
        return out.toString();
    }

    /** llvm-objdump's {@code <.text+0x..>} after a jump: the target's byte address in the section, wrapping. */
    private static String annotation(Instruction insn, long address, Syntax syntax) {
        if (syntax != Syntax.LLVM) {
            return "";
        }
        long offset;
        switch (insn) {
            case Instruction.Branch b -> offset = b.offset();
            case Instruction.Goto g -> offset = g.offset();
            default -> {
                return "";
            }
        }
        long target = address + 8 + offset * 8;
        return target == 0 ? " <.text>" : " <.text+0x" + Long.toHexString(target) + ">";
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
