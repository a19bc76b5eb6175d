package org.bpf4j.core.isa;

/** The source operand of an ALU, jump or store instruction: a register or a 32-bit immediate. */
public sealed interface Operand {
    /** A register, r0 to r10. */
    record Reg(int reg) implements Operand {
        public Reg {
            Registers.check(reg);
        }
    }

    /** A 32-bit immediate (sign-extended to 64 bits where the operation is 64-bit). */
    record Imm(int value) implements Operand {}

    static Operand reg(int reg) {
        return new Reg(reg);
    }

    static Operand imm(int value) {
        return new Imm(value);
    }
}
