package org.bpf4j.core.isa;

/**
 * An ALU operation. Signed division and modulo and the sign-extending moves share their opcode with the
 * unsigned forms and are told apart by the offset field, as RFC 9669 defines.
 */
public enum AluOp {
    ADD(Opcodes.ALU_ADD, 0, "add", "+="),
    SUB(Opcodes.ALU_SUB, 0, "sub", "-="),
    MUL(Opcodes.ALU_MUL, 0, "mul", "*="),
    DIV(Opcodes.ALU_DIV, 0, "div", "/="),
    SDIV(Opcodes.ALU_DIV, 1, "sdiv", "s/="),
    OR(Opcodes.ALU_OR, 0, "or", "|="),
    AND(Opcodes.ALU_AND, 0, "and", "&="),
    LSH(Opcodes.ALU_LSH, 0, "lsh", "<<="),
    RSH(Opcodes.ALU_RSH, 0, "rsh", ">>="),
    NEG(Opcodes.ALU_NEG, 0, "neg", null),
    MOD(Opcodes.ALU_MOD, 0, "mod", "%="),
    SMOD(Opcodes.ALU_MOD, 1, "smod", "s%="),
    XOR(Opcodes.ALU_XOR, 0, "xor", "^="),
    MOV(Opcodes.ALU_MOV, 0, "mov", "="),
    MOVSX8(Opcodes.ALU_MOV, 8, "movsx8", "="),
    MOVSX16(Opcodes.ALU_MOV, 16, "movsx16", "="),
    MOVSX32(Opcodes.ALU_MOV, 32, "movsx32", "="),
    ARSH(Opcodes.ALU_ARSH, 0, "arsh", "s>>=");

    private final int code;
    private final int offset;
    private final String mnemonic;
    private final String llvmOperator;

    AluOp(int code, int offset, String mnemonic, String llvmOperator) {
        this.code = code;
        this.offset = offset;
        this.mnemonic = mnemonic;
        this.llvmOperator = llvmOperator;
    }

    /** The operation bits of the opcode (high 4 bits). */
    public int code() {
        return code;
    }

    /** The value the offset field must hold for this operation. */
    public int offset() {
        return offset;
    }

    /** The conformance suite's mnemonic, without the {@code 32} suffix. */
    public String mnemonic() {
        return mnemonic;
    }

    /** The compound operator llvm-objdump prints, e.g. {@code +=}; null for neg. */
    public String llvmOperator() {
        return llvmOperator;
    }

    public boolean isSignExtendingMove() {
        return this == MOVSX8 || this == MOVSX16 || this == MOVSX32;
    }

    /** The operation for an opcode's op bits and an offset field, or null when that pair is invalid. */
    public static AluOp of(int opcode, int offset) {
        int op = opcode & 0xf0;
        for (AluOp a : values()) {
            if (a.code == op && a.offset == offset) {
                return a;
            }
        }
        return null;
    }
}
