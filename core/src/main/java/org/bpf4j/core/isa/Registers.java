package org.bpf4j.core.isa;

/** Register numbering: r0 to r9 general purpose, r10 the read-only frame pointer. */
public final class Registers {
    private Registers() {}

    public static final int COUNT = 11;
    public static final int FP = 10;

    static int check(int reg) {
        if (reg < 0 || reg >= COUNT) {
            throw new IllegalArgumentException("no register r" + reg + " (r0 to r10)");
        }
        return reg;
    }
}
