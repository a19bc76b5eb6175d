package org.bpf4j.core.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.bpf4j.core.isa.Instruction.*;

/**
 * Every valid instruction variant (each opcode with each size, operation, source form, atomic operation, call kind
 * and pseudo source), each with several register, immediate and offset values including the extremes.
 */
public final class ValidInstructions {
    private ValidInstructions() {}

    public static final int[] IMMS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x12345678, 255, -4096, 0x80000001,
        12, 64, 0x7f};
    public static final short[] OFFSETS = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 12, -8, 0x100, -512, 3, 0x7f};
    public static final long[] IMMS64 = {0, 1, -1, 0x1122334455667788L, Long.MIN_VALUE, Long.MAX_VALUE, 0x80000000L,
        0xffffffffL, 0x100000000L, 7L << 32 | 3, -0x80000000L, 0x00ff00ff00ff00ffL, 42};
    // 13 values: coprime with the other lengths, so registers, immediates and offsets meet in many combinations.
    private static final int ROUNDS = 13;

    /** One generator per variant: given a round number, an instance of it. */
    public static List<IntFunction<Instruction>> variants() {
        List<IntFunction<Instruction>> v = new ArrayList<>();
        for (boolean wide : new boolean[] {true, false}) {
            for (AluOp op : AluOp.values()) {
                if (op == AluOp.NEG) {
                    v.add(k -> new Alu(wide, op, reg(k), Operand.imm(0)));
                } else if (op.isSignExtendingMove()) {
                    if (wide || op != AluOp.MOVSX32) {
                        v.add(k -> new Alu(wide, op, reg(k), Operand.reg(src(k))));
                    }
                } else {
                    v.add(k -> new Alu(wide, op, reg(k), Operand.imm(imm(k))));
                    v.add(k -> new Alu(wide, op, reg(k), Operand.reg(src(k))));
                }
            }
        }
        for (Endian.Kind kind : Endian.Kind.values()) {
            for (int width : new int[] {16, 32, 64}) {
                v.add(k -> new Endian(kind, width, reg(k)));
            }
        }
        for (Size size : Size.values()) {
            v.add(k -> new Load(size, false, reg(k), src(k), off(k)));
            if (size != Size.DW) {
                v.add(k -> new Load(size, true, reg(k), src(k), off(k)));
            }
            v.add(k -> new Store(size, reg(k), off(k), Operand.imm(imm(k))));
            v.add(k -> new Store(size, reg(k), off(k), Operand.reg(src(k))));
        }
        for (Size size : new Size[] {Size.W, Size.DW}) {
            for (AtomicOp op : AtomicOp.values()) {
                v.add(k -> new Atomic(size, op, true, reg(k), src(k), off(k)));
                if (!op.alwaysFetches()) {
                    v.add(k -> new Atomic(size, op, false, reg(k), src(k), off(k)));
                }
            }
        }
        for (boolean jmp32 : new boolean[] {false, true}) {
            for (JumpOp op : JumpOp.values()) {
                v.add(k -> new Branch(jmp32, op, reg(k), Operand.imm(imm(k)), off(k)));
                v.add(k -> new Branch(jmp32, op, reg(k), Operand.reg(src(k)), off(k)));
            }
        }
        v.add(k -> new Goto(false, off(k)));
        v.add(k -> new Goto(true, imm(k)));
        v.add(k -> Call.helper(imm(k)));
        v.add(k -> Call.local(imm(k)));
        v.add(k -> new Call(Call.Kind.KFUNC, imm(k), off(k)));
        v.add(k -> new CallReg(reg(k)));
        v.add(k -> new Exit());
        for (LoadImm64.Pseudo p : LoadImm64.Pseudo.values()) {
            v.add(k -> new LoadImm64(reg(k), p, IMMS64[k % IMMS64.length]));
        }
        for (Size size : new Size[] {Size.B, Size.H, Size.W}) {
            v.add(k -> new LegacyLoad(size, false, 0, imm(k)));
            v.add(k -> new LegacyLoad(size, true, src(k), imm(k)));
        }
        return v;
    }

    /** Every variant in {@value #ROUNDS} instances. */
    public static List<Instruction> all() {
        List<Instruction> out = new ArrayList<>();
        for (IntFunction<Instruction> variant : variants()) {
            for (int k = 0; k < ROUNDS; k++) {
                Instruction insn = variant.apply(k);
                if (k == 0 || !out.getLast().equals(insn)) {
                    out.add(insn);
                }
            }
        }
        return out;
    }

    /** One instance of every variant, with non-zero fields where the variant has them. */
    public static List<Instruction> representatives() {
        return variants().stream().map(v -> v.apply(1)).toList();
    }

    private static int reg(int k) {
        return k % Registers.COUNT;
    }

    private static int src(int k) {
        return (k * 4 + 3) % Registers.COUNT;
    }

    private static int imm(int k) {
        return IMMS[k % IMMS.length];
    }

    private static short off(int k) {
        return OFFSETS[k % OFFSETS.length];
    }
}
