package org.bpf4j.runtime;

import java.util.List;
import org.bpf4j.core.asm.Disassembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;
import org.bpf4j.core.isa.InvalidInstructionException;
import org.bpf4j.core.isa.Slot;

/**
 * Code ready for an engine: decoded, with every encoding valid and every jump and local call landing on an
 * instruction inside the program. What an engine may still meet at run time is only what depends on values:
 * memory accesses, calls through registers, running past the last instruction, call depth.
 *
 * <pre>{@code
 * Program p = Program.of(Assembler.assembleToSlots("mov %r0, 1\nexit", Syntax.CONFORMANCE));
 * }</pre>
 */
public final class Program {
    private final long[] slots;
    private final List<Instruction> instructions;
    private final Instruction[] bySlot;

    private Program(long[] slots, List<Instruction> instructions, Instruction[] bySlot) {
        this.slots = slots;
        this.instructions = instructions;
        this.bySlot = bySlot;
    }

    /** Validates raw slots. */
    public static Program of(long[] slots) {
        if (slots.length == 0) {
            throw new LoadException(-1, "program has no instructions");
        }
        List<Instruction> insns;
        try {
            insns = InstructionCodec.decode(slots);
        } catch (InvalidInstructionException e) {
            throw new LoadException(e.index(), e.reason());
        }
        Instruction[] bySlot = new Instruction[slots.length];
        int at = 0;
        for (Instruction i : insns) {
            bySlot[at] = i;
            at += i.slots();
        }
        at = 0;
        for (Instruction i : insns) {
            switch (i) {
                case Instruction.Branch b -> checkTarget(bySlot, at, b.offset(), "jump");
                case Instruction.Goto g -> checkTarget(bySlot, at, g.offset(), "jump");
                case Instruction.Call c when c.kind() == Instruction.Call.Kind.LOCAL ->
                        checkTarget(bySlot, at, c.imm(), "call");
                case Instruction.Call c when c.kind() == Instruction.Call.Kind.KFUNC ->
                        throw new LoadException(at, "calls to kernel functions (kfunc " + c.imm() + ") are not supported");
                case Instruction.LoadImm64 l when l.pseudo() != Instruction.LoadImm64.Pseudo.NONE ->
                        throw new LoadException(at, "unresolved " + l.pseudo() + " reference in lddw (load the program "
                                + "from an object, whose loader resolves it)");
                default -> {}
            }
            at += i.slots();
        }
        return new Program(slots.clone(), List.copyOf(insns), bySlot);
    }

    public static Program of(byte[] code) {
        try {
            return of(Slot.fromBytes(code));
        } catch (InvalidInstructionException e) {
            throw new LoadException(e.index(), e.reason());
        }
    }

    public static Program of(List<? extends Instruction> instructions) {
        return of(InstructionCodec.encode(instructions));
    }

    private static void checkTarget(Instruction[] bySlot, int at, long relative, String what) {
        long target = at + 1 + relative;
        if (target < 0 || target >= bySlot.length) {
            throw new LoadException(at, what + " to " + target + " is outside the program (0 to " + (bySlot.length - 1) + ")");
        }
        if (bySlot[(int) target] == null) {
            throw new LoadException(at, what + " to " + target + " lands in the middle of lddw");
        }
    }

    /** The raw slots; do not modify. */
    public long[] slots() {
        return slots;
    }

    public int length() {
        return slots.length;
    }

    public List<Instruction> instructions() {
        return instructions;
    }

    /** The instruction starting at a slot, or null for the second slot of lddw. */
    public Instruction at(int slot) {
        return slot >= 0 && slot < bySlot.length ? bySlot[slot] : null;
    }

    /** The instruction at a slot as llvm-objdump prints it, for messages. */
    public String describe(int slot) {
        Instruction i = at(slot);
        return i == null ? "<none>" : Disassembler.format(i, Syntax.LLVM);
    }
}
