package org.bpf4j.core.isa;

/** A read-modify-write operation of {@code STX | ATOMIC}, encoded in the immediate. */
public enum AtomicOp {
    ADD(Opcodes.ALU_ADD, "add"),
    OR(Opcodes.ALU_OR, "or"),
    AND(Opcodes.ALU_AND, "and"),
    XOR(Opcodes.ALU_XOR, "xor"),
    /** Always fetches: the old value lands in src. */
    XCHG(Opcodes.ATOMIC_XCHG, "xchg"),
    /** Always fetches: compares with r0, the old value lands in r0. */
    CMPXCHG(Opcodes.ATOMIC_CMPXCHG, "cmpxchg");

    private final int code;
    private final String mnemonic;

    AtomicOp(int code, String mnemonic) {
        this.code = code;
        this.mnemonic = mnemonic;
    }

    /** The immediate's value without the fetch bit (with it, for xchg and cmpxchg). */
    public int code() {
        return code;
    }

    public String mnemonic() {
        return mnemonic;
    }

    /** True for xchg and cmpxchg, whose encoding includes the fetch bit. */
    public boolean alwaysFetches() {
        return this == XCHG || this == CMPXCHG;
    }

    /** The operation and fetch flag an immediate encodes, or null when it is no valid atomic. */
    public static AtomicOp of(int imm) {
        for (AtomicOp a : values()) {
            if (a.alwaysFetches() ? imm == a.code : (imm & ~Opcodes.ATOMIC_FETCH) == a.code) {
                return a;
            }
        }
        return null;
    }
}
