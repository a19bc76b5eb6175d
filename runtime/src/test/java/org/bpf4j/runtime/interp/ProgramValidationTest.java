package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.LoadImm64;
import org.bpf4j.core.isa.InstructionCodec;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Slot;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;
import org.junit.jupiter.api.Test;

/** What {@link Program#of} refuses before any engine sees the code. */
class ProgramValidationTest {

    private static LoadException refused(Instruction... insns) {
        return assertThrows(LoadException.class, () -> Program.of(List.of(insns)));
    }

    @Test
    void emptyProgramIsRefused() {
        var e = assertThrows(LoadException.class, () -> Program.of(new long[0]));
        assertTrue(e.getMessage().contains("no instructions"), e::getMessage);
        assertThrows(LoadException.class, () -> Program.of(new byte[0]));
    }

    @Test
    void jumpPastTheEndIsRefused() {
        var e = refused(mov(R0, 0), ja(5), exit());
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("outside the program"), e::getMessage);
    }

    @Test
    void jumpToJustPastTheEndIsRefused() {
        var e = refused(mov(R0, 0), jmp(JumpOp.JEQ, R0, 0, 1), exit());
        assertEquals(1, e.index());
    }

    @Test
    void jumpBeforeTheStartIsRefused() {
        var e = refused(mov(R0, 0), jmp(JumpOp.JGT, R0, 1, -3), exit());
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("outside the program"), e::getMessage);
    }

    @Test
    void wideGotoOutOfTheProgramIsRefused() {
        var e = refused(mov(R0, 0), new Instruction.Goto(true, 1 << 20), exit());
        assertEquals(1, e.index());
    }

    @Test
    void localCallOutOfTheProgramIsRefused() {
        var e = refused(callLocal(10), exit());
        assertEquals(0, e.index());
        assertTrue(e.getMessage().contains("call"), e::getMessage);
    }

    @Test
    void jumpIntoTheMiddleOfLddwIsRefused() {
        var e = refused(ja(1), lddw(R0, 1), exit());
        assertEquals(0, e.index());
        assertTrue(e.getMessage().contains("middle of lddw"), e::getMessage);
    }

    @Test
    void backwardJumpIntoTheMiddleOfLddwIsRefused() {
        var e = refused(lddw(R0, 1), jmp(JumpOp.JEQ, R0, 1, -2), exit());
        assertEquals(2, e.index(), "the index is the jump's slot");
    }

    @Test
    void localCallIntoTheMiddleOfLddwIsRefused() {
        var e = refused(callLocal(1), lddw(R0, 1), exit(), exit());
        assertEquals(0, e.index());
    }

    @Test
    void jumpOntoLddwIsAccepted() {
        var p = Program.of(List.of(ja(0), lddw(R0, 0x1234_5678_9abc_def0L), exit()));
        assertEquals(4, p.length());
        assertEquals(3, p.instructions().size());
        assertNull(p.at(2), "the second slot of lddw is no instruction");
        assertEquals(0x1234_5678_9abc_def0L, new Interpreter(p, new org.bpf4j.runtime.HelperTable(),
                new org.bpf4j.runtime.memory.Memory()).run(0, 0));
    }

    @Test
    void pseudoLddwIsRefused() {
        for (var pseudo : LoadImm64.Pseudo.values()) {
            if (pseudo == LoadImm64.Pseudo.NONE) {
                continue;
            }
            var e = refused(mov(R0, 0), new LoadImm64(R1, pseudo, 3), exit());
            assertEquals(1, e.index(), pseudo::toString);
            assertTrue(e.getMessage().contains("unresolved"), e::getMessage);
        }
    }

    @Test
    void lddwCutShortIsRefused() {
        long[] slots = InstructionCodec.encode(List.of(lddw(R0, 5)));
        var e = assertThrows(LoadException.class, () -> Program.of(new long[] {slots[0]}));
        assertEquals(0, e.index());
    }

    @Test
    void unknownOpcodeIsRefusedWithItsIndex() {
        long[] slots = InstructionCodec.encode(List.of(mov(R0, 0), exit()));
        long[] bad = {slots[0], Slot.of(0xff, 0, 0, 0, 0), slots[1]};
        var e = assertThrows(LoadException.class, () -> Program.of(bad));
        assertEquals(1, e.index());
    }

    @Test
    void kfuncCallIsRefused() {
        var e = refused(new Instruction.Call(Instruction.Call.Kind.KFUNC, 12, (short) 0), exit());
        assertEquals(0, e.index());
    }

    @Test
    void programOfBytesMustBeWholeSlots() {
        assertThrows(LoadException.class, () -> Program.of(new byte[12]));
    }

    @Test
    void describeNamesTheInstructionOrNone() {
        var p = Program.of(List.of(lddw(R0, 1), exit()));
        assertNotEquals("<none>", p.describe(0));
        assertEquals("<none>", p.describe(1));
        assertEquals("<none>", p.describe(7));
    }
}
