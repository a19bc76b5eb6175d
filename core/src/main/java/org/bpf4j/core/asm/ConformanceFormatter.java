package org.bpf4j.core.asm;

import java.util.Locale;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.*;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;

/** Prints one instruction in {@link Syntax#CONFORMANCE}, in the form {@link ConformanceParser} reads back. */
final class ConformanceFormatter {
    private ConformanceFormatter() {}

    static String format(Instruction insn) {
        return switch (insn) {
            case Alu a -> alu(a);
            case Endian e -> switch (e.kind()) {
                case TO_LE -> "le";
                case TO_BE -> "be";
                case BSWAP -> "swap";
            } + e.width() + " " + reg(e.dst());
            case Load l -> "ldx" + (l.signExtend() ? "s" : "") + suffix(l.size()) + " " + reg(l.dst()) + ", "
                    + mem(l.src(), l.offset());
            case Store s -> switch (s.value()) {
                case Operand.Reg r -> "stx" + suffix(s.size()) + " " + mem(s.dst(), s.offset()) + ", " + reg(r.reg());
                case Operand.Imm i -> "st" + suffix(s.size()) + " " + mem(s.dst(), s.offset()) + ", " + i.value();
            };
            case Atomic a -> "lock " + (a.fetch() && !a.op().alwaysFetches() ? "fetch " : "") + a.op().mnemonic()
                    + (a.size() == Size.W ? "32" : "") + " " + mem(a.dst(), a.offset()) + ", " + reg(a.src());
            case Branch b -> b.op().mnemonic() + (b.jmp32() ? "32" : "") + " " + reg(b.dst()) + ", " + src(b.src())
                    + ", " + Numbers.signedDec(b.offset());
            case Goto g -> (g.wide() ? "ja32 " : "ja ") + Numbers.signedDec(g.offset());
            case Call c -> switch (c.kind()) {
                case HELPER -> "call " + c.imm();
                case LOCAL -> "call local " + Numbers.signedDec(c.imm());
                case KFUNC -> "call kfunc " + c.imm() + (c.offset() != 0 ? ", " + c.offset() : "");
            };
            case CallReg c -> "call " + reg(c.reg());
            case Exit e -> "exit";
            case LoadImm64 l -> "lddw " + reg(l.dst()) + ", " + lddwValue(l);
            case LegacyLoad l -> "ld" + (l.indirect() ? "ind" : "abs") + suffix(l.size()) + " "
                    + (l.indirect() ? reg(l.src()) + ", " : "") + l.imm();
        };
    }

    private static String alu(Alu a) {
        String w = a.wide() ? "" : "32";
        if (a.op() == AluOp.NEG) {
            return "neg" + w + " " + reg(a.dst());
        }
        if (a.op().isSignExtendingMove()) {
            return a.op().mnemonic() + (a.wide() ? "64" : "32") + " " + reg(a.dst()) + ", " + src(a.src());
        }
        return a.op().mnemonic() + w + " " + reg(a.dst()) + ", " + src(a.src());
    }

    private static String lddwValue(LoadImm64 l) {
        if (l.pseudo() == LoadImm64.Pseudo.NONE) {
            return "0x" + Long.toHexString(l.imm());
        }
        int low = (int) l.imm();
        int high = (int) (l.imm() >>> 32);
        String first = l.pseudo() == LoadImm64.Pseudo.FUNC ? Numbers.signedDec(low) : Integer.toString(low);
        boolean showHigh = high != 0 || PseudoForms.hasOffset(l.pseudo());
        return PseudoForms.name(l.pseudo()) + "(" + first + (showHigh ? ", " + high : "") + ")";
    }

    static String suffix(Size size) {
        return size.name().toLowerCase(Locale.ROOT);
    }

    static String reg(int r) {
        return "%r" + r;
    }

    private static String src(Operand op) {
        return switch (op) {
            case Operand.Reg r -> reg(r.reg());
            case Operand.Imm i -> Integer.toString(i.value());
        };
    }

    private static String mem(int reg, short offset) {
        return "[" + reg(reg) + (offset == 0 ? "" : offset > 0 ? "+" + offset : Integer.toString(offset)) + "]";
    }
}
