package org.bpf4j.runtime.jit;

import java.util.List;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.Alu;
import org.bpf4j.core.isa.Instruction.Atomic;
import org.bpf4j.core.isa.Instruction.Branch;
import org.bpf4j.core.isa.Instruction.Call;
import org.bpf4j.core.isa.Instruction.CallReg;
import org.bpf4j.core.isa.Instruction.Exit;
import org.bpf4j.core.isa.Instruction.Goto;
import org.bpf4j.core.isa.Instruction.LegacyLoad;
import org.bpf4j.core.isa.Instruction.Load;
import org.bpf4j.core.isa.Instruction.LoadImm64;
import org.bpf4j.core.isa.Instruction.Store;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.memory.Memory;

/** Builders of instructions for the engine tests (offsets are relative slots, as encoded), and executions. */
final class Insns {
    private Insns() {}

    static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

    static Instruction mov(int dst, int imm) {
        return new Alu(true, AluOp.MOV, dst, Operand.imm(imm));
    }

    static Instruction movr(int dst, int src) {
        return new Alu(true, AluOp.MOV, dst, Operand.reg(src));
    }

    static Instruction alu64(AluOp op, int dst, int imm) {
        return new Alu(true, op, dst, Operand.imm(imm));
    }

    static Instruction alu64r(AluOp op, int dst, int src) {
        return new Alu(true, op, dst, Operand.reg(src));
    }

    static Instruction lddw(int dst, long value) {
        return new LoadImm64(dst, LoadImm64.Pseudo.NONE, value);
    }

    static Instruction ldx(Size size, int dst, int src, int off) {
        return new Load(size, false, dst, src, (short) off);
    }

    static Instruction stx(Size size, int dst, int off, int src) {
        return new Store(size, dst, (short) off, Operand.reg(src));
    }

    static Instruction st(Size size, int dst, int off, int imm) {
        return new Store(size, dst, (short) off, Operand.imm(imm));
    }

    static Instruction atomic(Size size, AtomicOp op, boolean fetch, int dst, int off, int src) {
        return new Atomic(size, op, fetch, dst, src, (short) off);
    }

    static Instruction jmp(JumpOp op, int dst, int imm, int off) {
        return new Branch(false, op, dst, Operand.imm(imm), (short) off);
    }

    static Instruction ja(int off) {
        return new Goto(false, off);
    }

    static Instruction call(int helper) {
        return Call.helper(helper);
    }

    static Instruction callLocal(int relative) {
        return Call.local(relative);
    }

    static Instruction callx(int reg) {
        return new CallReg(reg);
    }

    static Instruction ldAbs(Size size, int imm) {
        return new LegacyLoad(size, false, 0, imm);
    }

    static Instruction ldInd(Size size, int src, int imm) {
        return new LegacyLoad(size, true, src, imm);
    }

    static Instruction exit() {
        return new Exit();
    }

    static Program program(Instruction... insns) {
        return Program.of(List.of(insns));
    }

    static Execution exec(Engine engine, Instruction... insns) {
        return engine.create(program(insns), new HelperTable(), new Memory());
    }

    static Execution exec(Engine engine, HelperTable helpers, Memory memory, Instruction... insns) {
        return engine.create(program(insns), helpers, memory);
    }

    /** The address of instruction {@code index}, as lddw of a function loads it. */
    static long codeAddress(int index) {
        return (long) Memory.CODE_REGION << 32 | index * 8L;
    }
}
