package org.bpf4j.core.isa;

/**
 * The numeric fields of an eBPF opcode byte, as RFC 9669 and Linux's {@code bpf.h} name them.
 *
 * <p>An opcode is {@code class | (op or size/mode) | source}; these constants let code that works on raw
 * bytes (the interpreter's dispatch, the JIT) say which encoding it means.
 */
public final class Opcodes {
    private Opcodes() {}

    // classes (low 3 bits)
    public static final int CLASS_LD = 0x00, CLASS_LDX = 0x01, CLASS_ST = 0x02, CLASS_STX = 0x03;
    public static final int CLASS_ALU = 0x04, CLASS_JMP = 0x05, CLASS_JMP32 = 0x06, CLASS_ALU64 = 0x07;

    // source bit of ALU and JMP classes
    public static final int SRC_K = 0x00, SRC_X = 0x08;

    // sizes and modes of load and store classes
    public static final int SIZE_W = 0x00, SIZE_H = 0x08, SIZE_B = 0x10, SIZE_DW = 0x18;
    public static final int MODE_IMM = 0x00, MODE_ABS = 0x20, MODE_IND = 0x40, MODE_MEM = 0x60;
    public static final int MODE_MEMSX = 0x80, MODE_ATOMIC = 0xc0;

    // ALU operations (high 4 bits)
    public static final int ALU_ADD = 0x00, ALU_SUB = 0x10, ALU_MUL = 0x20, ALU_DIV = 0x30, ALU_OR = 0x40;
    public static final int ALU_AND = 0x50, ALU_LSH = 0x60, ALU_RSH = 0x70, ALU_NEG = 0x80, ALU_MOD = 0x90;
    public static final int ALU_XOR = 0xa0, ALU_MOV = 0xb0, ALU_ARSH = 0xc0, ALU_END = 0xd0;

    // JMP operations (high 4 bits)
    public static final int JMP_JA = 0x00, JMP_JEQ = 0x10, JMP_JGT = 0x20, JMP_JGE = 0x30, JMP_JSET = 0x40;
    public static final int JMP_JNE = 0x50, JMP_JSGT = 0x60, JMP_JSGE = 0x70, JMP_CALL = 0x80, JMP_EXIT = 0x90;
    public static final int JMP_JLT = 0xa0, JMP_JLE = 0xb0, JMP_JSLT = 0xc0, JMP_JSLE = 0xd0;

    // atomic operations (in imm)
    public static final int ATOMIC_FETCH = 0x01, ATOMIC_XCHG = 0xe0 | ATOMIC_FETCH, ATOMIC_CMPXCHG = 0xf0 | ATOMIC_FETCH;

    // src field of lddw: what the 64-bit immediate means
    public static final int PSEUDO_MAP_FD = 1, PSEUDO_MAP_VALUE = 2, PSEUDO_BTF_ID = 3, PSEUDO_FUNC = 4;
    public static final int PSEUDO_MAP_IDX = 5, PSEUDO_MAP_IDX_VALUE = 6;

    // src field of call
    public static final int CALL_HELPER = 0, CALL_LOCAL = 1, CALL_KFUNC = 2;

    /** The lddw opcode: {@code LD | IMM | DW}, the only two-slot instruction. */
    public static final int LDDW = CLASS_LD | MODE_IMM | SIZE_DW;

    public static int cls(int opcode) {
        return opcode & 0x07;
    }
}
