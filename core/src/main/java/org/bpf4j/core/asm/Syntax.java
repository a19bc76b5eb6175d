package org.bpf4j.core.asm;

import java.util.regex.Pattern;

/** The two assembly languages the {@link Assembler} reads and the {@link Disassembler} writes. */
public enum Syntax {
    /**
     * The bpf_conformance suite's syntax, mnemonic first, as its {@code .data} files write it:
     * <ul>
     *   <li>ALU: {@code add sub mul div sdiv mod smod or and lsh rsh arsh xor mov} ({@code 32} suffix for ALU32,
     *       {@code 64} accepted for ALU64) {@code %rD, %rS|imm}; {@code neg[32] %rD};
     *       {@code movsx864 movsx1664 movsx3264 movsx832 movsx1632 %rD, %rS};
     *       {@code le16..le64 be16..be64 swap16..swap64} ({@code bswapN} accepted) {@code %rD};</li>
     *   <li>memory: {@code ldx[s]{b,h,w,dw} %rD, [%rS+off]}, {@code st{b,h,w,dw} [%rD+off], imm},
     *       {@code stx{b,h,w,dw} [%rD+off], %rS}, {@code lock [fetch] add|or|and|xor[32] [%rD+off], %rS},
     *       {@code lock xchg[32]|cmpxchg[32] [%rD+off], %rS};</li>
     *   <li>jumps: {@code ja T}, {@code ja32 T} (gotol), {@code jeq jgt jge jlt jle jset jne jsgt jsge jslt jsle}[32]
     *       {@code %rD, %rS|imm, T}, where T is a label or {@code +N}/{@code -N};</li>
     *   <li>calls: {@code call N} (helper), {@code call local T}, {@code call %rN} (callx; {@code callx %rN} accepted),
     *       and, this project's own, {@code call kfunc N[, btfOffset]}; {@code exit};</li>
     *   <li>{@code lddw %rD, imm64}, and with a pseudo source {@code lddw %rD, map_fd(3)}, {@code map_value(3, 16)},
     *       {@code btf_id(7)}, {@code func(+2)} (or a label), {@code map_idx(0)}, {@code map_idx_value(0, 16)};</li>
     *   <li>legacy packet loads, this project's choice: {@code ldabs{b,h,w} imm} and {@code ldind{b,h,w} %rS, imm}
     *       (they always write r0).</li>
     * </ul>
     * Numbers are decimal or {@code 0x} hex, optionally negative; immediates print in decimal, lddw in hex.
     */
    CONFORMANCE,
    /**
     * The C-like syntax {@code llvm-objdump -d --mcpu=v4} (LLVM 19) prints for BPF and {@code llvm-mc} reads:
     * {@code r0 = 0x1}, {@code w1 s/= 0x3}, {@code *(u32 *)(r10 - 0x8) = w1}, {@code if r1 > r2 goto +0x3},
     * {@code r1 = atomic_fetch_add((u64 *)(r10 - 0x8), r1)}, {@code r1 = 0x1122334455667788 ll},
     * {@code r0 = *(u8 *)skb[0xc]}. Where LLVM's text is ambiguous this project adds readable forms, listed at
     * {@link Disassembler}: {@code call pc+0x3}, {@code call kfunc 0x5}, {@code r1 = map_fd(0x3) ll},
     * {@code r0 = *(u16 *)skb[r1 + 0x4]}. The assembler also reads decimal numbers, labels (also as
     * {@code call LABEL}, a local call, as llvm-mc does) and LLVM's {@code ld_pseudo r1, 0x1, 0x3}.
     */
    LLVM;

    private static final Pattern LLVM_LINE = Pattern.compile(
            "^(?:[rw]\\d+\\s*(?:s?[-+*/%|&^]|<<|s?>>)?=.*|if\\s.*|\\*\\s*\\(.*|lock\\s*\\*.*|goto\\b.*|gotol\\b.*"
                    + "|callx\\b.*|call\\s+pc\\b.*|ld_pseudo\\b.*)$");
    private static final Pattern MNEMONIC_LINE = Pattern.compile("^[a-z][a-z0-9]*(?:\\s+.*)?$");

    /**
     * Guesses the syntax of a source: a {@code %r} register or a mnemonic-first line means {@link #CONFORMANCE};
     * an assignment ({@code r0 = }, {@code w1 += }), {@code if r}, a {@code *(u} store or a {@code goto}
     * means {@link #LLVM}. Lines that fit both ({@code exit}, {@code call 1}) decide nothing; a source with no
     * deciding line is taken as {@link #CONFORMANCE}.
     */
    public static Syntax detect(String source) {
        for (String raw : source.split("\\R")) {
            String line = stripComment(raw);
            int colon = labelEnd(line);
            if (colon >= 0) {
                line = line.substring(colon + 1).trim();
            }
            if (line.isEmpty() || line.equals("exit") || line.matches("call\\s+-?\\w+")) {
                continue;
            }
            if (line.contains("%r")) {
                return CONFORMANCE;
            }
            if (LLVM_LINE.matcher(line).matches()) {
                return LLVM;
            }
            if (MNEMONIC_LINE.matcher(line).matches()) {
                return CONFORMANCE;
            }
        }
        return CONFORMANCE;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        int slashes = line.indexOf("//");
        int cut = hash < 0 ? slashes : slashes < 0 ? hash : Math.min(hash, slashes);
        return (cut < 0 ? line : line.substring(0, cut)).trim();
    }

    /** Index of the colon ending a leading {@code label:}, or -1. */
    static int labelEnd(String line) {
        int i = 0;
        while (i < line.length() && isLabelChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            return -1;
        }
        int j = i;
        while (j < line.length() && Character.isWhitespace(line.charAt(j))) {
            j++;
        }
        return j < line.length() && line.charAt(j) == ':' ? j : -1;
    }

    static boolean isLabelChar(char c, boolean first) {
        return c == '_' || c == '.' || c == '$' || (c < 128 && Character.isLetter(c)) || (!first && c < 128 && Character.isDigit(c));
    }
}
