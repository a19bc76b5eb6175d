package org.bpf4j.core.asm;

import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.*;
import org.bpf4j.core.isa.InstructionCodec;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The text of single instructions, and the layout of listings. */
class DisassemblerTest {

    private static void assertText(Instruction insn, String conformance, String llvm) {
        assertEquals(conformance, Disassembler.format(insn, Syntax.CONFORMANCE));
        assertEquals(llvm, Disassembler.format(insn, Syntax.LLVM));
    }

    @Test
    void eachKindPrintsInBothSyntaxes() {
        assertText(new Alu(true, AluOp.MOV, 0, Operand.imm(1)), "mov %r0, 1", "r0 = 0x1");
        assertText(new Alu(false, AluOp.SDIV, 1, Operand.imm(3)), "sdiv32 %r1, 3", "w1 s/= 0x3");
        assertText(new Alu(true, AluOp.SMOD, 1, Operand.reg(2)), "smod %r1, %r2", "r1 s%= r2");
        assertText(new Alu(false, AluOp.NEG, 0, Operand.imm(0)), "neg32 %r0", "w0 = -w0");
        assertText(new Alu(true, AluOp.MOVSX8, 1, Operand.reg(2)), "movsx864 %r1, %r2", "r1 = (s8)r2");
        assertText(new Alu(false, AluOp.MOVSX16, 1, Operand.reg(2)), "movsx1632 %r1, %r2", "w1 = (s16)w2");
        assertText(new Endian(Endian.Kind.TO_BE, 16, 0), "be16 %r0", "r0 = be16 r0");
        assertText(new Endian(Endian.Kind.BSWAP, 64, 0), "swap64 %r0", "r0 = bswap64 r0");
        assertText(new Load(Size.H, false, 3, 1, (short) 12), "ldxh %r3, [%r1+12]", "w3 = *(u16 *)(r1 + 0xc)");
        assertText(new Load(Size.B, true, 3, 1, (short) -4), "ldxsb %r3, [%r1-4]", "r3 = *(s8 *)(r1 - 0x4)");
        assertText(new Load(Size.DW, false, 0, 1, (short) 0), "ldxdw %r0, [%r1]", "r0 = *(u64 *)(r1 + 0x0)");
        assertText(new Store(Size.W, 10, (short) -8, Operand.reg(1)), "stxw [%r10-8], %r1", "*(u32 *)(r10 - 0x8) = w1");
        assertText(new Store(Size.DW, 10, (short) -8, Operand.imm(5)), "stdw [%r10-8], 5", "*(u64 *)(r10 - 0x8) = 0x5");
        assertText(new Atomic(Size.DW, AtomicOp.ADD, false, 10, 1, (short) -8), "lock add [%r10-8], %r1",
                "lock *(u64 *)(r10 - 0x8) += r1");
        assertText(new Atomic(Size.W, AtomicOp.AND, true, 2, 1, (short) 0), "lock fetch and32 [%r2], %r1",
                "w1 = atomic_fetch_and((u32 *)(r2 + 0x0), w1)");
        assertText(new Atomic(Size.DW, AtomicOp.XCHG, true, 10, 1, (short) -8), "lock xchg [%r10-8], %r1",
                "r1 = xchg_64(r10 - 0x8, r1)");
        assertText(new Atomic(Size.W, AtomicOp.CMPXCHG, true, 10, 1, (short) -8), "lock cmpxchg32 [%r10-8], %r1",
                "w0 = cmpxchg32_32(r10 - 0x8, w0, w1)");
        assertText(new Branch(false, JumpOp.JGT, 1, Operand.reg(2), (short) 3), "jgt %r1, %r2, +3",
                "if r1 > r2 goto +0x3");
        assertText(new Branch(true, JumpOp.JSLT, 1, Operand.imm(5), (short) -2), "jslt32 %r1, 5, -2",
                "if w1 s< 0x5 goto -0x2");
        assertText(new Goto(false, 3), "ja +3", "goto +0x3");
        assertText(new Goto(true, 70000), "ja32 +70000", "gotol +0x11170");
        assertText(Call.helper(1), "call 1", "call 0x1");
        assertText(Call.local(-5), "call local -5", "call pc-0x5");
        assertText(new Call(Call.Kind.KFUNC, 7, (short) 0), "call kfunc 7", "call kfunc 0x7");
        assertText(new Call(Call.Kind.KFUNC, 7, (short) 2), "call kfunc 7, 2", "call kfunc 0x7, 0x2");
        assertText(new CallReg(2), "call %r2", "callx r2");
        assertText(new Exit(), "exit", "exit");
        assertText(new LoadImm64(1, LoadImm64.Pseudo.NONE, 0x1122334455667788L), "lddw %r1, 0x1122334455667788",
                "r1 = 0x1122334455667788 ll");
        assertText(new LoadImm64(1, LoadImm64.Pseudo.NONE, -1), "lddw %r1, 0xffffffffffffffff", "r1 = -0x1 ll");
        assertText(new LoadImm64(1, LoadImm64.Pseudo.MAP_FD, 3), "lddw %r1, map_fd(3)", "r1 = map_fd(0x3) ll");
        assertText(new LoadImm64(1, LoadImm64.Pseudo.MAP_VALUE, 16L << 32 | 3), "lddw %r1, map_value(3, 16)",
                "r1 = map_value(0x3, 0x10) ll");
        assertText(new LoadImm64(2, LoadImm64.Pseudo.FUNC, 0xffff_fffeL), "lddw %r2, func(-2)", "r2 = func(-0x2) ll");
        assertText(new LegacyLoad(Size.B, false, 0, 12), "ldabsb 12", "r0 = *(u8 *)skb[0xc]");
        assertText(new LegacyLoad(Size.H, true, 1, 0), "ldindh %r1, 0", "r0 = *(u16 *)skb[r1]");
        assertText(new LegacyLoad(Size.W, true, 1, -4), "ldindw %r1, -4", "r0 = *(u32 *)skb[r1 - 0x4]");
    }

    @Test
    void lddwAndJumpsLayOutLikeLlvmObjdump() {
        long[] slots = InstructionCodec.encode(java.util.List.of(
                new LoadImm64(1, LoadImm64.Pseudo.NONE, 5), new Branch(false, JumpOp.JEQ, 1, Operand.imm(5), (short) -3),
                new Exit()));
        assertEquals("""
                       0:\t18 01 00 00 05 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0x5 ll
                       2:\t15 01 fd ff 05 00 00 00\tif r1 == 0x5 goto -0x3 <.text>
                       3:\t95 00 00 00 00 00 00 00\texit
                """, Disassembler.listing(slots, Syntax.LLVM));
        assertEquals("""
                       0:\t18 01 00 00 05 00 00 00 00 00 00 00 00 00 00 00\tlddw %r1, 0x5
                       2:\t15 01 fd ff 05 00 00 00\tjeq %r1, 5, -3
                       3:\t95 00 00 00 00 00 00 00\texit
                """, Disassembler.listing(slots, Syntax.CONFORMANCE));
    }

    @ParameterizedTest
    @EnumSource(Syntax.class)
    void badCodeListsAsUnknownWithoutThrowing(Syntax syntax) {
        long exit = InstructionCodec.encode(new Exit())[0];
        assertEquals("       0:\t95 00 00 00 01 00 00 00\t<unknown>\n       1:\t95 00 00 00 00 00 00 00\texit\n",
                Disassembler.listing(new long[] {exit | 1L << 32, exit}, syntax));
        assertEquals("\t\t...\n", Disassembler.listing(new long[] {0, 0}, syntax));
        assertEquals("", Disassembler.listing(new long[0], syntax));
        // Every slot value whatsoever lists without an exception.
        var random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            long[] slots = {random.nextLong() & (random.nextBoolean() ? 0xff_ffffffffL : -1L), random.nextLong(), 0x18};
            assertFalse(Disassembler.listing(slots, syntax).isEmpty());
        }
    }
}
