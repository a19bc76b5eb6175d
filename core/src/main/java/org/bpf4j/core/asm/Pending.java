package org.bpf4j.core.asm;

import java.util.Map;
import java.util.function.LongFunction;
import org.bpf4j.core.isa.Instruction;

/**
 * One parsed source line, before labels are known: either a finished instruction or one that still needs the
 * relative slot offset of its target (jumps, local calls, {@code lddw} of a function).
 */
sealed interface Pending {
    int line();

    int slots();

    /** The instruction, with any target resolved against the labels; {@code at} is its own slot index. */
    Instruction resolve(Map<String, Integer> labels, int at);

    /** An instruction without target. */
    record Ready(int line, Instruction insn) implements Pending {
        @Override
        public int slots() {
            return insn.slots();
        }

        @Override
        public Instruction resolve(Map<String, Integer> labels, int at) {
            return insn;
        }
    }

    /**
     * An instruction whose offset is relative to the next slot: given as a number already ({@code label == null})
     * or as a label. {@code bits} is the width of the field the offset goes into.
     */
    record Targeted(int line, int slots, String label, long relative, int bits, String what,
            LongFunction<Instruction> build) implements Pending {
        @Override
        public Instruction resolve(Map<String, Integer> labels, int at) {
            long offset = relative;
            if (label != null) {
                Integer target = labels.get(label);
                if (target == null) {
                    throw new AssemblyException(line, "unknown label " + label);
                }
                // Offsets count from the slot after the instruction's first one, as the hardware does.
                offset = (long) target - (at + 1);
            }
            if (offset < -(1L << (bits - 1)) || offset >= 1L << (bits - 1)) {
                throw new AssemblyException(line, what + " " + (label != null ? "to " + label + " (" + offset + ")"
                        : Numbers.signedDec(offset)) + " out of " + bits + "-bit range");
            }
            return build.apply(offset);
        }
    }
}
