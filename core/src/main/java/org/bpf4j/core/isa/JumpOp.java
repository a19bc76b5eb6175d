package org.bpf4j.core.isa;

/** A conditional jump's comparison. */
public enum JumpOp {
    JEQ(Opcodes.JMP_JEQ, "jeq", "=="),
    JGT(Opcodes.JMP_JGT, "jgt", ">"),
    JGE(Opcodes.JMP_JGE, "jge", ">="),
    JSET(Opcodes.JMP_JSET, "jset", "&"),
    JNE(Opcodes.JMP_JNE, "jne", "!="),
    JSGT(Opcodes.JMP_JSGT, "jsgt", "s>"),
    JSGE(Opcodes.JMP_JSGE, "jsge", "s>="),
    JLT(Opcodes.JMP_JLT, "jlt", "<"),
    JLE(Opcodes.JMP_JLE, "jle", "<="),
    JSLT(Opcodes.JMP_JSLT, "jslt", "s<"),
    JSLE(Opcodes.JMP_JSLE, "jsle", "s<=");

    private final int code;
    private final String mnemonic;
    private final String llvmOperator;

    JumpOp(int code, String mnemonic, String llvmOperator) {
        this.code = code;
        this.mnemonic = mnemonic;
        this.llvmOperator = llvmOperator;
    }

    public int code() {
        return code;
    }

    public String mnemonic() {
        return mnemonic;
    }

    /** The comparison llvm-objdump prints, e.g. {@code s>=}. */
    public String llvmOperator() {
        return llvmOperator;
    }

    /** The comparison for an opcode's op bits, or null when they name none. */
    public static JumpOp of(int opcode) {
        int op = opcode & 0xf0;
        for (JumpOp j : values()) {
            if (j.code == op) {
                return j;
            }
        }
        return null;
    }
}
