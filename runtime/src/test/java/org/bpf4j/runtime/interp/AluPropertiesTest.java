package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Instruction.Alu;
import org.bpf4j.core.isa.Operand;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** ALU semantics against {@link Model}: the edge cases of division, shifts, widths and sign extension. */
class AluPropertiesTest {
    private static final long M32 = Model.M32;

    @Provide
    Arbitrary<Long> values() {
        return Values.longs();
    }

    @Provide
    Arbitrary<Integer> imms() {
        return Values.ints();
    }

    @Provide
    Arbitrary<AluOp> divisions() {
        return Arbitraries.of(AluOp.DIV, AluOp.SDIV, AluOp.MOD, AluOp.SMOD);
    }

    @Provide
    Arbitrary<AluOp> shifts() {
        return Arbitraries.of(AluOp.LSH, AluOp.RSH, AluOp.ARSH);
    }

    /** r1 = a, r2 = b, then {@code op r1, src}; returns r1 and checks that r2 is unchanged. */
    private static long run(boolean wide, AluOp op, long a, Operand src, long b) {
        var in = interp(lddw(R1, a), lddw(R2, b), new Alu(wide, op, R1, src), movr(R0, R1), exit());
        long r0 = in.run(0, 0);
        assertEquals(b, in.register(R2), "the source register is not written");
        return r0;
    }

    private static long reg(boolean wide, AluOp op, long a, long b) {
        return run(wide, op, a, Operand.reg(R2), b);
    }

    private static long imm(boolean wide, AluOp op, long a, int imm) {
        return run(wide, op, a, Operand.imm(imm), 0x5a5a);
    }

    private static boolean validWithRegister(boolean wide, AluOp op) {
        return op != AluOp.NEG && (wide || op != AluOp.MOVSX32);
    }

    private static boolean validWithImmediate(AluOp op) {
        return !op.isSignExtendingMove();
    }

    // ---- everything against the model

    @Property(tries = 3000)
    void registerOperationsMatchTheModel(@ForAll boolean wide, @ForAll AluOp op, @ForAll("values") long a,
            @ForAll("values") long b) {
        Assume.that(validWithRegister(wide, op));
        long expected = wide ? Model.alu64(op, a, b) : Model.alu32(op, a, b);
        assertEquals(expected, reg(wide, op, a, b), () -> describe(wide, op, a, b));
    }

    @Property(tries = 3000)
    void immediateOperationsMatchTheModel(@ForAll boolean wide, @ForAll AluOp op, @ForAll("values") long a,
            @ForAll("imms") int imm) {
        Assume.that(validWithImmediate(op));
        int k = op == AluOp.NEG ? 0 : imm;
        long expected = wide ? Model.alu64(op, a, k) : Model.alu32(op, a, k);
        assertEquals(expected, imm(wide, op, a, k), () -> describe(wide, op, a, k));
    }

    @Property(tries = 500)
    void oneRegisterAsBothOperands(@ForAll boolean wide, @ForAll AluOp op, @ForAll("values") long a) {
        Assume.that(validWithRegister(wide, op));
        var in = interp(lddw(R3, a), new Alu(wide, op, R3, Operand.reg(R3)), movr(R0, R3), exit());
        long expected = wide ? Model.alu64(op, a, a) : Model.alu32(op, a, a);
        assertEquals(expected, in.run(0, 0), () -> describe(wide, op, a, a));
    }

    // ---- widths

    @Property(tries = 1000)
    @Label("every 32-bit ALU result is zero-extended to 64 bits")
    void thirtyTwoBitResultsAreZeroExtended(@ForAll AluOp op, @ForAll("values") long a, @ForAll("values") long b,
            @ForAll("imms") int k) {
        if (validWithRegister(false, op)) {
            assertEquals(0, reg(false, op, a, b) >>> 32, () -> describe(false, op, a, b));
        }
        if (validWithImmediate(op)) {
            int kk = op == AluOp.NEG ? 0 : k;
            assertEquals(0, imm(false, op, a, kk) >>> 32, () -> describe(false, op, a, kk));
        }
    }

    @Property(tries = 1000)
    @Label("32-bit operations ignore the high halves of their operands")
    void thirtyTwoBitOperationsIgnoreHighHalves(@ForAll AluOp op, @ForAll("values") long a, @ForAll("values") long b,
            @ForAll("values") long noiseA, @ForAll("values") long noiseB) {
        Assume.that(validWithRegister(false, op));
        long plain = reg(false, op, a & M32, b & M32);
        long noisy = reg(false, op, (a & M32) | (noiseA << 32), (b & M32) | (noiseB << 32));
        assertEquals(plain, noisy);
    }

    @Property(tries = 1000)
    @Label("a 64-bit operation's immediate is its sign extension from 32 bits")
    void immediatesAreSignExtendedTo64Bits(@ForAll AluOp op, @ForAll("values") long a, @ForAll("imms") int k) {
        Assume.that(validWithImmediate(op) && op != AluOp.NEG);
        assertEquals(reg(true, op, a, (long) k), imm(true, op, a, k), () -> describe(true, op, a, k));
    }

    @Property(tries = 300)
    void movImmediateSignExtendsIn64AndZeroExtendsIn32(@ForAll("imms") int k) {
        assertEquals((long) k, imm(true, AluOp.MOV, 0x1234, k));
        assertEquals(k & M32, imm(false, AluOp.MOV, -1, k));
    }

    // ---- division and modulo

    @Property(tries = 500)
    void divisionByZeroGivesZero(@ForAll boolean wide, @ForAll boolean signed, @ForAll("values") long a) {
        AluOp op = signed ? AluOp.SDIV : AluOp.DIV;
        assertEquals(0, reg(wide, op, a, 0));
        assertEquals(0, imm(wide, op, a, 0));
    }

    @Property(tries = 500)
    void moduloByZeroLeavesTheDividend(@ForAll boolean wide, @ForAll boolean signed, @ForAll("values") long a) {
        AluOp op = signed ? AluOp.SMOD : AluOp.MOD;
        long expected = wide ? a : a & M32;
        assertEquals(expected, reg(wide, op, a, 0));
        assertEquals(expected, imm(wide, op, a, 0));
    }

    @Property(tries = 500)
    @Label("a 32-bit divisor whose low half is zero divides by zero")
    void thirtyTwoBitDivisorWithOnlyHighBitsIsZero(@ForAll("divisions") AluOp op, @ForAll("values") long a,
            @ForAll("values") long high) {
        Assume.that(high << 32 != 0);
        long divisor = high << 32;
        boolean isMod = op == AluOp.MOD || op == AluOp.SMOD;
        assertEquals(isMod ? a & M32 : 0, reg(false, op, a, divisor));
    }

    @Example
    void signedDivisionOverflowWraps() {
        assertEquals(Long.MIN_VALUE, reg(true, AluOp.SDIV, Long.MIN_VALUE, -1));
        assertEquals(Long.MIN_VALUE, imm(true, AluOp.SDIV, Long.MIN_VALUE, -1));
        assertEquals(0, reg(true, AluOp.SMOD, Long.MIN_VALUE, -1));
        assertEquals(0, imm(true, AluOp.SMOD, Long.MIN_VALUE, -1));
        assertEquals(0x8000_0000L, reg(false, AluOp.SDIV, Integer.MIN_VALUE, -1));
        assertEquals(0x8000_0000L, imm(false, AluOp.SDIV, 0x8000_0000L, -1));
        assertEquals(0, reg(false, AluOp.SMOD, 0x8000_0000L, 0xffff_ffffL));
        assertEquals(0, imm(false, AluOp.SMOD, Integer.MIN_VALUE, -1));
    }

    @Property(tries = 300)
    @Label("INT_MIN / -1 in 32 bits, whatever the high halves hold")
    void thirtyTwoBitSignedOverflowIgnoresHighHalves(@ForAll("values") long highA, @ForAll("values") long highB) {
        long a = highA << 32 | 0x8000_0000L, b = highB << 32 | 0xffff_ffffL;
        assertEquals(0x8000_0000L, reg(false, AluOp.SDIV, a, b));
        assertEquals(0, reg(false, AluOp.SMOD, a, b));
    }

    @Example
    void unsignedDivisionTreatsTheImmediateAs64BitUnsigned() {
        // 64-bit: imm -1 sign-extends to 2^64 - 1, so any smaller dividend gives 0
        assertEquals(0, imm(true, AluOp.DIV, 0x7fff_ffff_ffff_ffffL, -1));
        assertEquals(1, imm(true, AluOp.DIV, -1, -1));
        assertEquals(0x7fff_ffff_ffff_ffffL, imm(true, AluOp.MOD, 0x7fff_ffff_ffff_ffffL, -1));
        // 32-bit: imm -1 is 2^32 - 1
        assertEquals(1, imm(false, AluOp.DIV, 0xffff_ffffL, -1));
        assertEquals(0, imm(false, AluOp.DIV, 0xffff_fffeL, -1));
    }

    @Example
    void signedModuloExamples() {
        assertEquals(-1, reg(true, AluOp.SMOD, -7, 2));
        assertEquals(1, reg(true, AluOp.SMOD, 7, -2));
        assertEquals(-1, reg(true, AluOp.SMOD, -7, -2));
        assertEquals(-3, reg(true, AluOp.SDIV, -7, 2));
        assertEquals(-1 & M32, reg(false, AluOp.SMOD, -7, 2));
        assertEquals(1, reg(false, AluOp.SMOD, 7, -2));
        assertEquals(-3 & M32, imm(false, AluOp.SDIV, -7, 2));
        // unsigned: -7 is huge
        assertEquals(1, reg(true, AluOp.MOD, -7, 2));
        assertEquals(Long.divideUnsigned(-7, 2), reg(true, AluOp.DIV, -7, 2));
    }

    @Property(tries = 1000)
    @Label("a signed remainder is smaller than the divisor and takes the dividend's sign")
    void signedModuloFollowsTheDividend(@ForAll boolean wide, @ForAll("values") long a, @ForAll("values") long b) {
        if (wide) {
            Assume.that(b != 0);
            long r = reg(true, AluOp.SMOD, a, b);
            assertTrue(r == 0 || Long.signum(r) == Long.signum(a), () -> describe(true, AluOp.SMOD, a, b) + " = " + r);
            assertTrue(Model.unsigned(Math.abs(r)).compareTo(Model.unsigned(Math.abs(b))) < 0 || b == Long.MIN_VALUE);
            // dividend = quotient * divisor + remainder, in wrapping arithmetic
            assertEquals(a, reg(true, AluOp.SDIV, a, b) * b + r);
        } else {
            Assume.that((int) b != 0);
            int r = (int) reg(false, AluOp.SMOD, a, b);
            assertTrue(r == 0 || Integer.signum(r) == Integer.signum((int) a));
            assertTrue(Math.abs((long) r) < Math.abs((long) (int) b));
            assertEquals((int) a, (int) reg(false, AluOp.SDIV, a, b) * (int) b + r);
        }
    }

    // ---- shifts

    @Property(tries = 1000)
    @Label("shift amounts are masked to 6 bits (64-bit) or 5 bits (32-bit)")
    void shiftAmountsAreMasked(@ForAll boolean wide, @ForAll("shifts") AluOp op, @ForAll("values") long a,
            @ForAll("values") long amount) {
        int mask = wide ? 63 : 31;
        long masked = reg(wide, op, a, amount & mask);
        assertEquals(masked, reg(wide, op, a, amount), () -> describe(wide, op, a, amount));
        assertEquals(masked, imm(wide, op, a, (int) amount));
        assertEquals(wide ? Model.alu64(op, a, amount & mask) : Model.alu32(op, a, amount & mask), masked);
    }

    @Example
    void shiftExamples() {
        assertEquals(Long.MIN_VALUE, imm(true, AluOp.LSH, 1, 63));
        assertEquals(1, imm(true, AluOp.LSH, 1, 64));
        assertEquals(0x8000_0000L, imm(false, AluOp.LSH, 1, 31));
        assertEquals(1, imm(false, AluOp.LSH, 1, 32));
        assertEquals(0xffff_ffffL, imm(false, AluOp.ARSH, 0x8000_0000L, 31));
        assertEquals(-1, imm(true, AluOp.ARSH, Long.MIN_VALUE, 63));
        assertEquals(1, imm(true, AluOp.RSH, Long.MIN_VALUE, 63));
        assertEquals(0x4000_0000L, imm(false, AluOp.RSH, 0xffff_ffff_8000_0000L, 1));
        assertEquals(0xc000_0000L, imm(false, AluOp.ARSH, 0x0000_0000_8000_0000L, 1));
    }

    // ---- sign-extending moves

    @Property(tries = 500)
    void movsxSignExtends(@ForAll("values") long a) {
        assertEquals((long) (byte) a, reg(true, AluOp.MOVSX8, 0x77, a));
        assertEquals((long) (short) a, reg(true, AluOp.MOVSX16, 0x77, a));
        assertEquals((long) (int) a, reg(true, AluOp.MOVSX32, 0x77, a));
        assertEquals((byte) a & M32, reg(false, AluOp.MOVSX8, 0x77, a));
        assertEquals((short) a & M32, reg(false, AluOp.MOVSX16, 0x77, a));
        assertEquals(a & M32, reg(false, AluOp.MOV, 0x77, a));
    }

    @Example
    void movsxExamples() {
        assertEquals(-128, reg(true, AluOp.MOVSX8, 0, 0x1234_5680L));
        assertEquals(0x7f, reg(true, AluOp.MOVSX8, 0, 0xffff_ff7fL));
        assertEquals(0xffff_ff80L, reg(false, AluOp.MOVSX8, 0, 0x80));
        assertEquals(0xffff_8000L, reg(false, AluOp.MOVSX16, 0, 0x8000));
        assertEquals(0xffff_ffff_8000_0000L, reg(true, AluOp.MOVSX32, 0, 0x8000_0000L));
    }

    private static String describe(boolean wide, AluOp op, long a, long b) {
        return op.mnemonic() + (wide ? "" : "32") + " 0x" + Long.toHexString(a) + ", 0x" + Long.toHexString(b);
    }
}
