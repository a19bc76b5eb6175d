package org.bpf4j.core.isa;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.bpf4j.core.isa.Instruction.*;

/** jqwik generators of random valid instructions, every kind and variant reachable. */
public final class InstructionArbitraries {
    private InstructionArbitraries() {}

    public static Arbitrary<Integer> registers() {
        return Arbitraries.integers().between(0, Registers.COUNT - 1);
    }


    public static Arbitrary<Short> offsets() {
        return Arbitraries.shorts();
    }

    public static Arbitrary<Instruction> instructions() {
        return Arbitraries.oneOf(alu(), endian(), load(), store(), atomic(), branch(), jumpsAndCalls(), lddw(), legacy());
    }

    private static Arbitrary<Instruction> alu() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(AluOp.class), registers(), registers(),
                Arbitraries.integers(), Arbitraries.of(true, false)).as((wide, op, dst, src, imm, x) -> {
                    if (op == AluOp.NEG) {
                        return new Alu(wide, op, dst, Operand.imm(0));
                    }
                    if (op.isSignExtendingMove()) {
                        return new Alu(wide || op == AluOp.MOVSX32, op, dst, Operand.reg(src));
                    }
                    return new Alu(wide, op, dst, x ? Operand.reg(src) : Operand.imm(imm));
                });
    }

    private static Arbitrary<Instruction> endian() {
        return Combinators.combine(Arbitraries.of(Endian.Kind.class), Arbitraries.of(16, 32, 64), registers())
                .as(Endian::new);
    }

    private static Arbitrary<Instruction> load() {
        return Combinators.combine(Arbitraries.of(Size.class), Arbitraries.of(true, false), registers(), registers(),
                offsets()).as((size, sx, dst, src, off) -> new Load(size, sx && size != Size.DW, dst, src, off));
    }

    private static Arbitrary<Instruction> store() {
        return Combinators.combine(Arbitraries.of(Size.class), registers(), offsets(), registers(),
                Arbitraries.integers(), Arbitraries.of(true, false)).as((size, dst, off, src, imm, x) ->
                        new Store(size, dst, off, x ? Operand.reg(src) : Operand.imm(imm)));
    }

    private static Arbitrary<Instruction> atomic() {
        return Combinators.combine(Arbitraries.of(Size.W, Size.DW), Arbitraries.of(AtomicOp.class),
                Arbitraries.of(true, false), registers(), registers(), offsets()).as((size, op, fetch, dst, src, off) ->
                        new Atomic(size, op, fetch || op.alwaysFetches(), dst, src, off));
    }

    private static Arbitrary<Instruction> branch() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(JumpOp.class), registers(), registers(),
                Arbitraries.integers(), Arbitraries.of(true, false), offsets()).as((jmp32, op, dst, src, imm, x, off) ->
                        new Branch(jmp32, op, dst, x ? Operand.reg(src) : Operand.imm(imm), off));
    }

    private static Arbitrary<Instruction> jumpsAndCalls() {
        return Arbitraries.oneOf(
                offsets().map(off -> new Goto(false, off)),
                Arbitraries.integers().map(imm -> new Goto(true, imm)),
                Arbitraries.integers().map(Call::helper),
                Arbitraries.integers().map(Call::local),
                Combinators.combine(Arbitraries.integers(), offsets()).as((imm, off) -> new Call(Call.Kind.KFUNC, imm, off)),
                registers().map(CallReg::new),
                Arbitraries.just(new Exit()));
    }

    private static Arbitrary<Instruction> lddw() {
        return Combinators.combine(registers(), Arbitraries.of(LoadImm64.Pseudo.class), Arbitraries.longs())
                .as(LoadImm64::new);
    }

    private static Arbitrary<Instruction> legacy() {
        return Combinators.combine(Arbitraries.of(Size.B, Size.H, Size.W), Arbitraries.of(true, false), registers(),
                Arbitraries.integers()).as((size, ind, src, imm) -> new LegacyLoad(size, ind, ind ? src : 0, imm));
    }
}
