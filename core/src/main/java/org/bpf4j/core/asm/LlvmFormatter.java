package org.bpf4j.core.asm;

import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.*;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;

/**
 * Prints one instruction as {@code llvm-objdump-19 -d --mcpu=v4} does: numbers in hex, signed ({@code -0x1}),
 * offsets with their sign ({@code +0x3}), 32-bit registers ({@code w1}) where the operation is 32-bit.
 * Where LLVM's text loses information, a readable form of this project's is printed instead (see
 * {@link Disassembler}).
 */
final class LlvmFormatter {
    private LlvmFormatter() {}

    static String format(Instruction insn) {
        return switch (insn) {
            case Alu a -> alu(a);
            case Endian e -> "r" + e.dst() + " = " + switch (e.kind()) {
                case TO_LE -> "le";
                case TO_BE -> "be";
                case BSWAP -> "bswap";
            } + e.width() + " r" + e.dst();
            // Zero-extending loads narrower than 64 bits write the 32-bit register, as LLVM's ALU32 forms print.
            case Load l -> reg(l.dst(), l.signExtend() || l.size() == Size.DW) + " = *(" + (l.signExtend() ? "s" : "u")
                    + l.size().bytes() * 8 + " *)" + mem(l.src(), l.offset());
            case Store s -> "*(" + s.size().cType() + " *)" + mem(s.dst(), s.offset()) + " = " + switch (s.value()) {
                case Operand.Reg r -> reg(r.reg(), s.size() == Size.DW);
                case Operand.Imm i -> Numbers.hex(i.value());
            };
            case Atomic a -> atomic(a);
            case Branch b -> "if " + reg(b.dst(), !b.jmp32()) + " " + b.op().llvmOperator() + " "
                    + src(b.src(), !b.jmp32()) + " goto " + Numbers.signedHex(b.offset());
            case Goto g -> (g.wide() ? "gotol " : "goto ") + Numbers.signedHex(g.offset());
            case Call c -> switch (c.kind()) {
                case HELPER -> "call " + Numbers.hex(c.imm());
                case LOCAL -> "call pc" + Numbers.signedHex(c.imm());
                case KFUNC -> "call kfunc " + Numbers.hex(c.imm()) + (c.offset() != 0 ? ", " + Numbers.hex(c.offset()) : "");
            };
            case CallReg c -> "callx r" + c.reg();
            case Exit e -> "exit";
            case LoadImm64 l -> "r" + l.dst() + " = " + lddwValue(l) + " ll";
            case LegacyLoad l -> "r0 = *(" + l.size().cType() + " *)skb[" + legacyAddress(l) + "]";
        };
    }

    private static String alu(Alu a) {
        String dst = reg(a.dst(), a.wide());
        if (a.op() == AluOp.NEG) {
            return dst + " = -" + dst;
        }
        if (a.op().isSignExtendingMove()) {
            return dst + " = (s" + a.op().offset() + ")" + src(a.src(), a.wide());
        }
        return dst + " " + a.op().llvmOperator() + " " + src(a.src(), a.wide());
    }

    private static String atomic(Atomic a) {
        boolean wide = a.size() == Size.DW;
        String src = reg(a.src(), wide);
        String addr = "r" + a.dst() + offset(a.offset());
        if (a.op() == AtomicOp.XCHG) {
            return src + " = xchg" + (wide ? "_64(" : "32_32(") + addr + ", " + src + ")";
        }
        if (a.op() == AtomicOp.CMPXCHG) {
            String r0 = reg(0, wide);
            return r0 + " = cmpxchg" + (wide ? "_64(" : "32_32(") + addr + ", " + r0 + ", " + src + ")";
        }
        String type = "(" + a.size().cType() + " *)";
        if (a.fetch()) {
            return src + " = atomic_fetch_" + a.op().mnemonic() + "(" + type + mem(a.dst(), a.offset()) + ", " + src + ")";
        }
        String op = switch (a.op()) {
            case ADD -> "+=";
            case OR -> "|=";
            case AND -> "&=";
            default -> "^=";
        };
        return "lock *" + type + mem(a.dst(), a.offset()) + " " + op + " " + src;
    }

    private static String lddwValue(LoadImm64 l) {
        if (l.pseudo() == LoadImm64.Pseudo.NONE) {
            return Numbers.hex(l.imm());
        }
        int low = (int) l.imm();
        int high = (int) (l.imm() >>> 32);
        String first = l.pseudo() == LoadImm64.Pseudo.FUNC ? Numbers.signedHex(low) : Numbers.hex(low);
        boolean showHigh = high != 0 || PseudoForms.hasOffset(l.pseudo());
        return PseudoForms.name(l.pseudo()) + "(" + first + (showHigh ? ", " + Numbers.hex(high) : "") + ")";
    }

    /** LLVM prints {@code skb[r1]} and drops a non-zero immediate of an indirect load; this keeps it. */
    private static String legacyAddress(LegacyLoad l) {
        if (!l.indirect()) {
            return Numbers.hex(l.imm());
        }
        if (l.imm() == 0) {
            return "r" + l.src();
        }
        return "r" + l.src() + (l.imm() < 0 ? " - " + Numbers.hex(-(long) l.imm()) : " + " + Numbers.hex(l.imm()));
    }

    private static String reg(int r, boolean wide) {
        return (wide ? "r" : "w") + r;
    }

    private static String src(Operand op, boolean wide) {
        return switch (op) {
            case Operand.Reg r -> reg(r.reg(), wide);
            case Operand.Imm i -> Numbers.hex(i.value());
        };
    }

    private static String offset(short off) {
        return off < 0 ? " - " + Numbers.hex(-off) : " + " + Numbers.hex(off);
    }

    private static String mem(int base, short off) {
        return "(r" + base + offset(off) + ")";
    }
}
