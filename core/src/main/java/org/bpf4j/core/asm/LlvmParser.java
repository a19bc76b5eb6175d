package org.bpf4j.core.asm;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.*;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;

/**
 * Parses one instruction in {@link Syntax#LLVM}: what {@code llvm-objdump -d} prints (numbers in hex or
 * decimal), plus this project's readable forms for what LLVM prints ambiguously (see {@link Disassembler}).
 */
final class LlvmParser {
    private LlvmParser() {}

    private static final Pattern REGISTER = Pattern.compile("([rw])(\\d{1,3})");
    private static final Pattern ENDIAN = Pattern.compile("(le|be|bswap)(16|32|64)");
    private static final Map<String, AluOp> COMPOUND = Map.ofEntries(
            Map.entry("+=", AluOp.ADD), Map.entry("-=", AluOp.SUB), Map.entry("*=", AluOp.MUL),
            Map.entry("/=", AluOp.DIV), Map.entry("%=", AluOp.MOD), Map.entry("|=", AluOp.OR),
            Map.entry("&=", AluOp.AND), Map.entry("^=", AluOp.XOR), Map.entry("<<=", AluOp.LSH),
            Map.entry(">>=", AluOp.RSH), Map.entry("s/=", AluOp.SDIV), Map.entry("s%=", AluOp.SMOD),
            Map.entry("s>>=", AluOp.ARSH));
    private static final Map<String, JumpOp> COMPARE = Map.ofEntries(
            Map.entry("==", JumpOp.JEQ), Map.entry("!=", JumpOp.JNE), Map.entry(">", JumpOp.JGT),
            Map.entry(">=", JumpOp.JGE), Map.entry("<", JumpOp.JLT), Map.entry("<=", JumpOp.JLE),
            Map.entry("&", JumpOp.JSET), Map.entry("s>", JumpOp.JSGT), Map.entry("s>=", JumpOp.JSGE),
            Map.entry("s<", JumpOp.JSLT), Map.entry("s<=", JumpOp.JSLE));

    /** A register as written: its number and whether it is the 64-bit {@code r} or 32-bit {@code w} name. */
    record Reg(int n, boolean wide, String text) {}

    static Pending parse(String text, int line) {
        Tokens t = new Tokens(text, line);
        Tokens.Token first = t.peek();
        if (first.is("*")) {
            return ready(t, LlvmMemory.store(t));
        }
        if (first.kind() != Tokens.Kind.IDENT) {
            throw new AssemblyException(line, "instruction expected, not " + first.shown());
        }
        switch (first.text()) {
            case "exit" -> {
                t.next();
                return ready(t, new Exit());
            }
            case "goto", "gotol" -> {
                t.next();
                boolean wide = first.text().equals("gotol");
                Pending p = target(t, 1, wide ? 32 : 16, off -> new Goto(wide, (int) off));
                t.end();
                return p;
            }
            case "call" -> {
                t.next();
                return call(t);
            }
            case "callx" -> {
                t.next();
                return ready(t, new CallReg(reg(t, true).n()));
            }
            case "if" -> {
                t.next();
                return branch(t);
            }
            case "lock" -> {
                t.next();
                return ready(t, LlvmMemory.lock(t));
            }
            case "ld_pseudo" -> {
                t.next();
                return ready(t, ldPseudo(t));
            }
            default -> {
                if (!REGISTER.matcher(first.text()).matches()) {
                    throw new AssemblyException(line, "invalid instruction " + first.text());
                }
                return assignment(t);
            }
        }
    }

    /** Checks that the line is fully read and wraps the instruction. */
    private static Pending ready(Tokens t, Instruction insn) {
        t.end();
        return new Pending.Ready(t.line(), insn);
    }

    static Reg reg(Tokens t, Boolean wide) {
        Tokens.Token tok = t.next();
        Matcher m = REGISTER.matcher(tok.kind() == Tokens.Kind.IDENT ? tok.text() : "");
        if (!m.matches()) {
            throw new AssemblyException(t.line(), "register expected, not " + tok.shown());
        }
        int n = Integer.parseInt(m.group(2));
        if (n > 10) {
            throw new AssemblyException(t.line(), "invalid register " + tok.text());
        }
        boolean isWide = m.group(1).equals("r");
        if (wide != null && wide != isWide) {
            throw new AssemblyException(t.line(), "register " + tok.text() + " must be named "
                    + (wide ? "r" : "w") + n + " here");
        }
        return new Reg(n, isWide, tok.text());
    }

    static boolean atRegister(Tokens t) {
        Tokens.Token tok = t.peek();
        return tok.kind() == Tokens.Kind.IDENT && REGISTER.matcher(tok.text()).matches();
    }

    static int imm32(Tokens t) {
        return Numbers.imm32(t.number("immediate"), t.line());
    }

    /** A register of the given width, or an immediate. */
    private static Operand source(Tokens t, boolean wide) {
        return atRegister(t) ? Operand.reg(reg(t, wide).n()) : Operand.imm(imm32(t));
    }

    /** {@code if rD op src goto target}. */
    private static Pending branch(Tokens t) {
        Reg dst = reg(t, null);
        String op = t.accept("s") ? "s" + t.next().text() : t.next().text();
        JumpOp j = COMPARE.get(op);
        if (j == null) {
            throw new AssemblyException(t.line(), "invalid comparison " + op);
        }
        Operand src = source(t, dst.wide());
        t.expect("goto");
        Pending p = target(t, 1, 16, off -> new Branch(!dst.wide(), j, dst.n(), src, (short) off));
        t.end();
        return p;
    }

    /**
     * {@code call 0x1} (helper), {@code call pc+0x3} or {@code call LABEL} (local), {@code call kfunc 0x5[, off]}.
     */
    private static Pending call(Tokens t) {
        if (t.atNumber()) {
            return ready(t, Call.helper(imm32(t)));
        }
        if (t.peek().is("pc") && (t.peek(1).is("+") || t.peek(1).is("-"))) {
            t.next();
            Pending p = target(t, 1, 32, off -> Call.local((int) off));
            t.end();
            return p;
        }
        if (t.accept("kfunc")) {
            int id = imm32(t);
            short btf = t.accept(",") ? (short) Numbers.signed(t.number("offset"), 16, "offset", t.line()) : 0;
            return ready(t, new Call(Call.Kind.KFUNC, id, btf));
        }
        Tokens.Token label = t.peek();
        if (label.kind() != Tokens.Kind.IDENT) {
            throw t.error("helper number, pc+offset, kfunc or label expected");
        }
        Pending p = target(t, 1, 32, off -> Call.local((int) off));
        t.end();
        return p;
    }

    /** A jump target: {@code +0x3}, {@code -2}, {@code 5} (relative to the next slot) or a label. */
    private static Pending target(Tokens t, int slots, int bits, java.util.function.LongFunction<Instruction> build) {
        if (t.atNumber()) {
            long off = Numbers.signed(t.number("jump offset"), bits, "jump offset", t.line());
            return new Pending.Targeted(t.line(), slots, null, off, bits, "jump offset", build);
        }
        Tokens.Token label = t.next();
        if (label.kind() != Tokens.Kind.IDENT) {
            throw new AssemblyException(t.line(), "jump target expected, not " + label.shown());
        }
        return new Pending.Targeted(t.line(), slots, label.text(), 0, bits, "jump", build);
    }

    /** {@code ld_pseudo rD, src, imm}: LLVM's own form of a pseudo {@code lddw} (high 32 bits zero). */
    private static Instruction ldPseudo(Tokens t) {
        int dst = reg(t, true).n();
        t.expect(",");
        String src = t.number("pseudo source");
        var value = Numbers.parse(src, t.line());
        var pseudo = value.bitLength() > 8 ? null : LoadImm64.Pseudo.of(value.intValue());
        if (pseudo == null) {
            throw new AssemblyException(t.line(), "invalid pseudo source " + src + " (0 to 6)");
        }
        t.expect(",");
        return new LoadImm64(dst, pseudo, imm32(t) & 0xffff_ffffL);
    }

    /** Everything that starts with a register: assignments and compound assignments. */
    private static Pending assignment(Tokens t) {
        Reg dst = reg(t, null);
        String op = t.accept("s") ? "s" + t.next().text() : t.next().text();
        if (!op.equals("=")) {
            AluOp alu = COMPOUND.get(op);
            if (alu == null) {
                throw new AssemblyException(t.line(), "assignment operator expected after " + dst.text() + ", not '"
                        + op + "'");
            }
            return ready(t, new Alu(dst.wide(), alu, dst.n(), source(t, dst.wide())));
        }
        Tokens.Token next = t.peek();
        if (next.is("*")) {
            return ready(t, LlvmMemory.load(t, dst));
        }
        if (next.is("(")) {
            return ready(t, signExtendingMove(t, dst));
        }
        if (next.is("-") && t.peek(1).kind() == Tokens.Kind.IDENT) {
            t.next();
            sameRegister(t, dst, reg(t, dst.wide()));
            return ready(t, new Alu(dst.wide(), AluOp.NEG, dst.n(), Operand.imm(0)));
        }
        if (t.atNumber()) {
            String number = t.number("immediate");
            if (t.accept("ll")) {
                requireWide(t, dst, "a 64-bit immediate load");
                return ready(t, new LoadImm64(dst.n(), LoadImm64.Pseudo.NONE, Numbers.imm64(number, t.line())));
            }
            return ready(t, new Alu(dst.wide(), AluOp.MOV, dst.n(), Operand.imm(Numbers.imm32(number, t.line()))));
        }
        if (atRegister(t)) {
            return ready(t, new Alu(dst.wide(), AluOp.MOV, dst.n(), Operand.reg(reg(t, dst.wide()).n())));
        }
        if (next.kind() != Tokens.Kind.IDENT) {
            throw t.error("value expected after " + dst.text() + " =");
        }
        String word = next.text();
        Matcher endian = ENDIAN.matcher(word);
        if (endian.matches()) {
            t.next();
            sameRegister(t, dst, reg(t, null));
            var kind = switch (endian.group(1)) {
                case "le" -> Endian.Kind.TO_LE;
                case "be" -> Endian.Kind.TO_BE;
                default -> Endian.Kind.BSWAP;
            };
            return ready(t, new Endian(kind, Integer.parseInt(endian.group(2)), dst.n()));
        }
        if (word.startsWith("atomic_fetch_")) {
            return ready(t, LlvmMemory.fetch(t, dst));
        }
        if (word.equals("xchg_64") || word.equals("xchg32_32") || word.equals("cmpxchg_64")
                || word.equals("cmpxchg32_32")) {
            return ready(t, LlvmMemory.exchange(t, dst));
        }
        if (PseudoForms.of(word) != null) {
            return pseudo(t, dst);
        }
        throw new AssemblyException(t.line(), "invalid value " + word + " after " + dst.text() + " =");
    }

    static void sameRegister(Tokens t, Reg dst, Reg other) {
        if (other.n() != dst.n()) {
            throw new AssemblyException(t.line(), other.text() + " must be the destination register " + dst.text());
        }
    }

    static void requireWide(Tokens t, Reg dst, String what) {
        if (!dst.wide()) {
            throw new AssemblyException(t.line(), what + " needs r" + dst.n() + ", not " + dst.text());
        }
    }

    /** {@code rD = (s8)rS}: the sign-extending moves. */
    private static Instruction signExtendingMove(Tokens t, Reg dst) {
        t.expect("(");
        Tokens.Token type = t.next();
        AluOp op = switch (type.kind() == Tokens.Kind.IDENT ? type.text() : "") {
            case "s8" -> AluOp.MOVSX8;
            case "s16" -> AluOp.MOVSX16;
            case "s32" -> AluOp.MOVSX32;
            default -> throw new AssemblyException(t.line(), "s8, s16 or s32 expected, not " + type.shown());
        };
        if (op == AluOp.MOVSX32) {
            requireWide(t, dst, "(s32)");
        }
        t.expect(")");
        return new Alu(dst.wide(), op, dst.n(), Operand.reg(reg(t, dst.wide()).n()));
    }

    /** {@code rD = map_fd(0x3) ll} and the other named pseudo sources of {@code lddw}. */
    private static Pending pseudo(Tokens t, Reg dst) {
        requireWide(t, dst, "lddw");
        var pseudo = PseudoForms.of(t.next().text());
        t.expect("(");
        boolean label = !t.atNumber();
        if (label && pseudo != LoadImm64.Pseudo.FUNC) {
            throw t.error("number expected");
        }
        String low = label ? null : t.number("immediate");
        String labelName = label ? t.next().text() : null;
        int high = t.accept(",") ? imm32(t) : 0;
        t.expect(")");
        t.accept("ll");
        t.end();
        if (pseudo == LoadImm64.Pseudo.FUNC) {
            var build = (java.util.function.LongFunction<Instruction>) off ->
                    new LoadImm64(dst.n(), pseudo, PseudoForms.combine((int) off, high));
            if (label) {
                if (!Operands.isIdentifier(labelName)) {
                    throw new AssemblyException(t.line(), "label or offset expected in func(...)");
                }
                return new Pending.Targeted(t.line(), 2, labelName, 0, 32, "function", build);
            }
            long off = Numbers.signed(low, 32, "function offset", t.line());
            return new Pending.Targeted(t.line(), 2, null, off, 32, "function offset", build);
        }
        return new Pending.Ready(t.line(),
                new LoadImm64(dst.n(), pseudo, PseudoForms.combine(Numbers.imm32(low, t.line()), high)));
    }
}
