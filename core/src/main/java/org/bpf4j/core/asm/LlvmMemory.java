package org.bpf4j.core.asm;

import java.util.Map;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.*;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;

/** The memory-accessing forms of {@link Syntax#LLVM}: loads, stores, atomics and the legacy packet loads. */
final class LlvmMemory {
    private LlvmMemory() {}

    private static final Map<String, AtomicOp> LOCK = Map.of(
            "+=", AtomicOp.ADD, "|=", AtomicOp.OR, "&=", AtomicOp.AND, "^=", AtomicOp.XOR);

    /** A memory operand {@code rN + off}. */
    private record Mem(int reg, short offset) {}

    /** {@code (uN *)} or, for loads, {@code (sN *)}: the access size and whether it sign-extends. */
    private record Type(Size size, boolean signed) {}

    private static Type type(Tokens t, boolean allowSigned) {
        t.expect("(");
        Tokens.Token tok = t.next();
        Type type = switch (tok.kind() == Tokens.Kind.IDENT ? tok.text() : "") {
            case "u8" -> new Type(Size.B, false);
            case "u16" -> new Type(Size.H, false);
            case "u32" -> new Type(Size.W, false);
            case "u64" -> new Type(Size.DW, false);
            case "s8" -> new Type(Size.B, true);
            case "s16" -> new Type(Size.H, true);
            case "s32" -> new Type(Size.W, true);
            default -> throw new AssemblyException(t.line(), "access type u8, u16, u32 or u64 expected, not "
                    + tok.shown());
        };
        if (type.signed() && !allowSigned) {
            throw new AssemblyException(t.line(), "signed access type " + tok.text() + " is only for loads");
        }
        t.expect("*");
        t.expect(")");
        return type;
    }

    /** {@code rN + off}, {@code rN - off} or {@code rN}, without parentheses. */
    private static Mem memInner(Tokens t) {
        int base = LlvmParser.reg(t, true).n();
        if (t.peek().is("+") || t.peek().is("-")) {
            String sign = t.next().text();
            String number = t.number("offset");
            if (number.startsWith("-") || number.startsWith("+")) {
                throw new AssemblyException(t.line(), "invalid offset " + sign + " " + number);
            }
            return new Mem(base, (short) Numbers.signed(sign.equals("-") ? "-" + number : number, 16, "offset",
                    t.line()));
        }
        return new Mem(base, (short) 0);
    }

    private static Mem mem(Tokens t) {
        t.expect("(");
        Mem m = memInner(t);
        t.expect(")");
        return m;
    }

    /** {@code *(uN *)(rD + off) = rS} or {@code = imm}. */
    static Instruction store(Tokens t) {
        t.expect("*");
        Size size = type(t, false).size();
        Mem m = mem(t);
        t.expect("=");
        Operand value = LlvmParser.atRegister(t) ? Operand.reg(LlvmParser.reg(t, null).n()) : Operand.imm(LlvmParser.imm32(t));
        return new Store(size, m.reg(), m.offset(), value);
    }

    /** {@code lock *(uN *)(rD + off) op= rS}: add, or, and or xor without fetch. */
    static Instruction lock(Tokens t) {
        t.expect("*");
        Size size = atomicSize(t, type(t, false).size());
        Mem m = mem(t);
        Tokens.Token op = t.next();
        AtomicOp a = op.kind() == Tokens.Kind.PUNCT ? LOCK.get(op.text()) : null;
        if (a == null) {
            throw new AssemblyException(t.line(), "atomic operator +=, |=, &= or ^= expected, not " + op.shown());
        }
        return new Atomic(size, a, false, m.reg(), LlvmParser.reg(t, null).n(), m.offset());
    }

    private static Size atomicSize(Tokens t, Size size) {
        if (size != Size.W && size != Size.DW) {
            throw new AssemblyException(t.line(), "atomic operations are u32 or u64, not " + size.cType());
        }
        return size;
    }

    /** {@code rD = *(uN *)(rS + off)}, {@code *(sN *)} sign-extending, or the legacy {@code *(uN *)skb[...]}. */
    static Instruction load(Tokens t, LlvmParser.Reg dst) {
        t.expect("*");
        Type type = type(t, true);
        if (t.accept("skb")) {
            if (dst.n() != 0 || type.signed() || type.size() == Size.DW) {
                throw new AssemblyException(t.line(), "legacy packet loads are r0 = *(u8|u16|u32 *)skb[...]");
            }
            t.expect("[");
            LegacyLoad l;
            if (LlvmParser.atRegister(t)) {
                int src = LlvmParser.reg(t, true).n();
                int imm = 0;
                if (t.peek().is("+") || t.peek().is("-")) {
                    String sign = t.next().text();
                    String number = t.number("offset");
                    imm = Numbers.imm32(sign.equals("-") ? "-" + number : number, t.line());
                }
                l = new LegacyLoad(type.size(), true, src, imm);
            } else {
                l = new LegacyLoad(type.size(), false, 0, LlvmParser.imm32(t));
            }
            t.expect("]");
            return l;
        }
        Mem m = mem(t);
        return new Load(type.size(), type.signed(), dst.n(), m.reg(), m.offset());
    }

    /** {@code rS = atomic_fetch_op((uN *)(rD + off), rS)}. */
    static Instruction fetch(Tokens t, LlvmParser.Reg dst) {
        String word = t.next().text();
        AtomicOp op = switch (word) {
            case "atomic_fetch_add" -> AtomicOp.ADD;
            case "atomic_fetch_or" -> AtomicOp.OR;
            case "atomic_fetch_and" -> AtomicOp.AND;
            case "atomic_fetch_xor" -> AtomicOp.XOR;
            default -> throw new AssemblyException(t.line(), "invalid atomic operation " + word);
        };
        t.expect("(");
        Size size = atomicSize(t, type(t, false).size());
        Mem m = mem(t);
        t.expect(",");
        LlvmParser.sameRegister(t, dst, LlvmParser.reg(t, null));
        t.expect(")");
        return new Atomic(size, op, true, m.reg(), dst.n(), m.offset());
    }

    /** {@code rS = xchg_64(rD + off, rS)} and {@code r0 = cmpxchg_64(rD + off, r0, rS)}, and their 32-bit forms. */
    static Instruction exchange(Tokens t, LlvmParser.Reg dst) {
        String word = t.next().text();
        boolean cmp = word.startsWith("cmp");
        Size size = word.endsWith("32_32") ? Size.W : Size.DW;
        t.expect("(");
        Mem m = memInner(t);
        t.expect(",");
        int src;
        if (cmp) {
            if (dst.n() != 0) {
                throw new AssemblyException(t.line(), "cmpxchg returns its old value in r0, not " + dst.text());
            }
            LlvmParser.Reg r0 = LlvmParser.reg(t, null);
            if (r0.n() != 0) {
                throw new AssemblyException(t.line(), "cmpxchg compares with r0, not " + r0.text());
            }
            t.expect(",");
            src = LlvmParser.reg(t, null).n();
        } else {
            LlvmParser.Reg s = LlvmParser.reg(t, null);
            LlvmParser.sameRegister(t, dst, s);
            src = s.n();
        }
        t.expect(")");
        return new Atomic(size, cmp ? AtomicOp.CMPXCHG : AtomicOp.XCHG, true, m.reg(), src, m.offset());
    }
}
