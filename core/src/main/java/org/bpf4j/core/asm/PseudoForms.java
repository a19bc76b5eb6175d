package org.bpf4j.core.asm;

import org.bpf4j.core.isa.Instruction.LoadImm64.Pseudo;

/**
 * The readable names of {@code lddw}'s pseudo sources, written like a function call in both syntaxes:
 * {@code map_fd(3)}, {@code map_value(3, 16)}, {@code btf_id(7)}, {@code func(+2)}, {@code map_idx(0)},
 * {@code map_idx_value(0, 16)}. The first argument is the low 32 bits of the 64-bit immediate (the fd, index,
 * id or relative slot offset); the second, when given, the high 32 bits (the offset into a map value).
 */
final class PseudoForms {
    private PseudoForms() {}

    static String name(Pseudo p) {
        return switch (p) {
            case NONE -> null;
            case MAP_FD -> "map_fd";
            case MAP_VALUE -> "map_value";
            case BTF_ID -> "btf_id";
            case FUNC -> "func";
            case MAP_IDX -> "map_idx";
            case MAP_IDX_VALUE -> "map_idx_value";
        };
    }

    /** The pseudo source of a name, or null. */
    static Pseudo of(String name) {
        for (Pseudo p : Pseudo.values()) {
            if (p != Pseudo.NONE && name(p).equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** True for the kinds whose high 32 bits are an offset into a map value, always printed. */
    static boolean hasOffset(Pseudo p) {
        return p == Pseudo.MAP_VALUE || p == Pseudo.MAP_IDX_VALUE;
    }

    static long combine(int low, int high) {
        return (low & 0xffff_ffffL) | (long) high << 32;
    }
}
