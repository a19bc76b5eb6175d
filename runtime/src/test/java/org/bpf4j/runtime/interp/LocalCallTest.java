package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

/** bpf-to-bpf calls: arguments, callee-saved registers, frames and depth. */
class LocalCallTest {

    @Test
    void calleeSeesArgumentsAndReturnsInR0() {
        var in = interp(
                mov(R1, 1), mov(R2, 2), mov(R3, 3), mov(R4, 4), mov(R5, 5),
                callLocal(1),                                   // 5 -> 7
                exit(),                                         // 6
                movr(R0, R1),                                   // 7: f
                alu64r(AluOp.ADD, R0, R2), alu64r(AluOp.ADD, R0, R3),
                alu64r(AluOp.ADD, R0, R4), alu64r(AluOp.ADD, R0, R5),
                exit());
        assertEquals(15, in.run(0, 0));
    }

    @Test
    void r6ToR9AndTheFramePointerArePreservedAcrossCalls() {
        var in = interp(
                mov(R6, 6), mov(R7, 7), mov(R8, 8), mov(R9, 9),   // 0-3
                callLocal(2),                                       // 4 -> 7
                movr(R0, R10),                                      // 5
                exit(),                                             // 6
                mov(R6, -1), mov(R7, -1), mov(R8, -1), mov(R9, -1), // 7-10: f clobbers r6-r9
                movr(R1, R10),                                      // 11: r1 = callee's frame pointer
                mov(R0, 0),
                exit());
        assertEquals(Memory.stackTop(0), in.run(0, 0));
        assertEquals(6, in.register(R6));
        assertEquals(7, in.register(R7));
        assertEquals(8, in.register(R8));
        assertEquals(9, in.register(R9));
        assertEquals(Memory.stackTop(0), in.register(R10));
        assertEquals(Memory.stackTop(1), in.register(R1), "the callee runs on frame 1");
    }

    @Test
    void callerSavedRegistersAreNotRestored() {
        var in = interp(mov(R1, 1), mov(R5, 5), callLocal(1), exit(),
                mov(R1, 10), mov(R5, 50), exit());
        in.run(0, 0);
        assertEquals(10, in.register(R1));
        assertEquals(50, in.register(R5));
    }

    @Test
    void eachFrameHasItsOwn512ByteStack() {
        var in = interp(
                st(Size.DW, R10, -8, 0x1111),                      // 0
                st(Size.DW, R10, -512, 0x3333),                    // 1
                callLocal(4),                                       // 2 -> 7
                ldx(Size.DW, R0, R10, -8),                          // 3
                ldx(Size.DW, R1, R10, -512),                        // 4
                alu64r(AluOp.ADD, R0, R1),                          // 5
                exit(),                                             // 6
                ldx(Size.DW, R2, R10, -8),                          // 7: f: r2 = its own slot (0)
                st(Size.DW, R10, -8, 0x2222),                       // 8
                st(Size.DW, R10, -512, 0x4444),                     // 9
                ldx(Size.DW, R3, R10, -8),                          // 10
                exit());
        assertEquals(0x1111 + 0x3333, in.run(0, 0));
        assertEquals(0, in.register(R2), "the callee's frame does not alias the caller's");
        assertEquals(0x2222, in.register(R3));
    }

    @Test
    void callerFrameIsReachableThroughAPointer() {
        // a pointer into the caller's frame stays valid in the callee
        var in = interp(
                st(Size.W, R10, -4, 99),                            // 0
                movr(R1, R10), alu64(AluOp.ADD, R1, -4),            // 1, 2
                callLocal(1),                                       // 3 -> 5
                exit(),                                             // 4
                ldx(Size.W, R0, R1, 0),                             // 5
                exit());
        assertEquals(99, in.run(0, 0));
    }

    @Test
    void calleeStackIsBoundedTo512Bytes() {
        var in = interp(callLocal(1), exit(), st(Size.B, R10, -513, 1), exit());
        var f = assertThrows(BpfFault.class, () -> in.run(0, 0));
        assertEquals(BpfFault.Kind.OUT_OF_BOUNDS, f.kind());
        assertEquals(2, f.pc());
        assertEquals(Memory.stackTop(1) - 513, f.address());
    }

    @Test
    void eightFramesAreAllowed() {
        var in = interp(InterpreterFaultTest.Recursion.program());
        assertEquals(6, in.run(6, 0), "main plus f(6) .. f(0): 8 frames");
        assertEquals(Memory.stackTop(0), in.register(R10));
    }

    @Test
    void ninthFrameIsRefused() {
        var in = interp(InterpreterFaultTest.Recursion.program());
        var f = assertThrows(BpfFault.class, () -> in.run(7, 0));
        assertEquals(BpfFault.Kind.CALL_DEPTH, f.kind());
        assertEquals(6, in.run(6, 0), "and the interpreter is usable afterwards");
    }

    @Test
    void deepestFrameHasItsOwnStack() {
        // seven nested calls, each writing its depth to its own [r10-8]; then read back on the way out
        var in = interp(
                mov(R1, 7),                                         // 0
                callLocal(1),                                       // 1 -> 3
                exit(),                                             // 2
                stx(Size.DW, R10, -8, R1),                          // 3: f(n): [r10-8] = n
                jmp(org.bpf4j.core.isa.JumpOp.JEQ, R1, 1, 3),       // 4: if n == 1 goto 8
                alu64(AluOp.SUB, R1, 1),                            // 5
                callLocal(-4),                                      // 6 -> 3
                ja(1),                                              // 7 -> 9
                mov(R0, 0),                                         // 8
                ldx(Size.DW, R2, R10, -8),                          // 9: r0 = r0 * 10 + [r10-8]
                alu64(AluOp.MUL, R0, 10),                           // 10
                alu64r(AluOp.ADD, R0, R2),                          // 11
                exit());
        assertEquals(1234567, in.run(0, 0));
    }

    @Test
    void callxToAnInstructionAddressCallsIt() {
        long target = (long) Memory.CODE_REGION << 32 | 4 * 8;
        var in = interp(lddw(R2, target), callx(R2), exit(), mov(R0, 42), exit());
        assertEquals(42, in.run(0, 0));
    }

    @Test
    void callxIntoTheMiddleOfLddwFaults() {
        long target = (long) Memory.CODE_REGION << 32 | 1 * 8;
        var in = interp(lddw(R2, target), callx(R2), exit());
        var f = assertThrows(BpfFault.class, () -> in.run(0, 0));
        assertEquals(BpfFault.Kind.JUMP_OUT, f.kind());
        assertEquals(2, f.pc());
    }

    @Test
    void callxPastTheEndFaults() {
        long target = (long) Memory.CODE_REGION << 32 | 100 * 8;
        var in = interp(new HelperTable(), new Memory(), lddw(R2, target), callx(R2), exit());
        var f = assertThrows(BpfFault.class, () -> in.run(0, 0));
        assertEquals(BpfFault.Kind.JUMP_OUT, f.kind());
        assertEquals(target, f.address());
    }
}
