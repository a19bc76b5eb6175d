package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.Instruction.Branch;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Conditional jumps against {@link Model}: signed and unsigned, 32 and 64 bits, immediates sign-extended. */
class JumpPropertiesTest {

    @Provide
    Arbitrary<Long> values() {
        return Values.longs();
    }

    @Provide
    Arbitrary<Integer> imms() {
        return Values.ints();
    }

    @Provide
    Arbitrary<long[]> pairs() {
        return Values.pairs();
    }

    /** Whether {@code op r1, src} jumps, with r1 = a and r2 = b. */
    private static boolean taken(boolean jmp32, JumpOp op, long a, Operand src, long b) {
        var in = interp(
                mov(R0, 1),
                lddw(R1, a),
                lddw(R2, b),
                new Branch(jmp32, op, R1, src, (short) 1),
                mov(R0, 0),
                exit());
        long r0 = in.run(0, 0);
        assertEquals(a, in.register(R1), "comparing writes nothing");
        assertEquals(b, in.register(R2), "comparing writes nothing");
        return r0 == 1;
    }

    private static boolean reg(boolean jmp32, JumpOp op, long a, long b) {
        return taken(jmp32, op, a, Operand.reg(R2), b);
    }

    private static boolean imm(boolean jmp32, JumpOp op, long a, int k) {
        return taken(jmp32, op, a, Operand.imm(k), 0);
    }

    @Property(tries = 4000)
    void registerComparisonsMatchTheModel(@ForAll boolean jmp32, @ForAll JumpOp op, @ForAll("pairs") long[] ab) {
        assertEquals(Model.taken(jmp32, op, ab[0], ab[1]), reg(jmp32, op, ab[0], ab[1]),
                () -> describe(jmp32, op, ab[0], ab[1]));
    }

    @Property(tries = 3000)
    @Label("immediate comparisons match the model, the immediate sign-extended to 64 bits")
    void immediateComparisonsMatchTheModel(@ForAll boolean jmp32, @ForAll JumpOp op, @ForAll("values") long a,
            @ForAll("imms") int k) {
        assertEquals(Model.taken(jmp32, op, a, k), imm(jmp32, op, a, k), () -> describe(jmp32, op, a, k));
    }

    @Property(tries = 1500)
    @Label("an immediate compares like a register holding its sign extension")
    void immediateEqualsItsSignExtensionInARegister(@ForAll boolean jmp32, @ForAll JumpOp op,
            @ForAll("values") long a, @ForAll("imms") int k) {
        assertEquals(reg(jmp32, op, a, (long) k), imm(jmp32, op, a, k), () -> describe(jmp32, op, a, k));
    }

    @Property(tries = 1500)
    @Label("jmp32 ignores the high halves")
    void jmp32IgnoresHighHalves(@ForAll JumpOp op, @ForAll("pairs") long[] ab, @ForAll("values") long noiseA,
            @ForAll("values") long noiseB) {
        long a = ab[0], b = ab[1];
        long m = Model.M32;
        assertEquals(reg(true, op, a & m, b & m), reg(true, op, (a & m) | noiseA << 32, (b & m) | noiseB << 32));
    }

    @Example
    void signedAndUnsignedDiffer() {
        // -1 is the greatest unsigned and less than 0 signed
        assertTrue(reg(false, JumpOp.JGT, -1, 0));
        assertFalse(reg(false, JumpOp.JSGT, -1, 0));
        assertTrue(reg(false, JumpOp.JSLT, -1, 0));
        assertFalse(reg(false, JumpOp.JLT, -1, 0));
        // in 32 bits 0x80000000 is negative, in 64 it is positive
        assertTrue(reg(true, JumpOp.JSLT, 0x8000_0000L, 0));
        assertFalse(reg(false, JumpOp.JSLT, 0x8000_0000L, 0));
        assertTrue(reg(true, JumpOp.JGT, 0x8000_0000L, 0x7fff_ffffL));
        assertTrue(reg(true, JumpOp.JSLE, Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertTrue(reg(false, JumpOp.JSGE, Long.MAX_VALUE, Long.MIN_VALUE));
        assertFalse(reg(false, JumpOp.JGE, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    @Example
    void immediateSignExtension() {
        // 64-bit: imm -1 is 0xffff_ffff_ffff_ffff, not 0xffff_ffff
        assertTrue(imm(false, JumpOp.JEQ, -1, -1));
        assertFalse(imm(false, JumpOp.JEQ, 0xffff_ffffL, -1));
        assertTrue(imm(false, JumpOp.JGT, -1, 0x7fff_ffff));
        assertFalse(imm(false, JumpOp.JGT, 0xffff_ffffL, -1), "0xffffffff < 2^64 - 1 unsigned");
        assertTrue(imm(false, JumpOp.JSLT, 0xffff_ffffL - (1L << 32), 0));
        assertTrue(imm(false, JumpOp.JSET, 0x8000_0000_0000_0000L, Integer.MIN_VALUE), "the sign bit spreads up");
        // 32-bit: compares the low halves
        assertTrue(imm(true, JumpOp.JEQ, 0xffff_ffffL, -1));
        assertTrue(imm(true, JumpOp.JEQ, 0x1234_5678_ffff_ffffL, -1));
        assertTrue(imm(true, JumpOp.JSLT, 0xffff_ffffL, 0));
        assertFalse(imm(true, JumpOp.JSET, 0xffff_ffff_0000_0000L, -1));
    }

    @Example
    void backwardTakenBranchLoops() {
        // count r1 down from 5: jne r1, 0, -2
        var in = interp(mov(R0, 0), mov(R1, 5), alu64(org.bpf4j.core.isa.AluOp.ADD, R0, 2),
                alu64(org.bpf4j.core.isa.AluOp.SUB, R1, 1), jmp(JumpOp.JNE, R1, 0, -3), exit());
        assertEquals(10, in.run(0, 0));
    }

    private static String describe(boolean jmp32, JumpOp op, long a, long b) {
        return op.mnemonic() + (jmp32 ? "32" : "") + " 0x" + Long.toHexString(a) + ", 0x" + Long.toHexString(b);
    }
}
