package org.bpf4j.runtime.jit;

import static org.bpf4j.runtime.jit.Insns.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** bpf-to-bpf calls, callx and helper callbacks on both engines: arguments, saved registers, frames, depth. */
class EngineCallTest {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void calleeSeesArgumentsAndReturnsInR0(Engine engine) {
        var e = exec(engine, mov(R1, 1), mov(R2, 2), mov(R3, 3), mov(R4, 4), mov(R5, 5),
                callLocal(1), exit(),
                movr(R0, R1), alu64r(AluOp.ADD, R0, R2), alu64r(AluOp.ADD, R0, R3),
                alu64r(AluOp.ADD, R0, R4), alu64r(AluOp.ADD, R0, R5), exit());
        assertEquals(15, e.run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void calleeSavedRegistersAndTheFramePointerAreRestored(Engine engine) {
        var e = exec(engine,
                mov(R6, 6), mov(R7, 7), mov(R8, 8), mov(R9, 9),   // 0-3
                callLocal(2),                                       // 4 -> 7
                movr(R0, R10),                                      // 5
                exit(),                                             // 6
                mov(R6, -1), mov(R7, -1), mov(R8, -1), mov(R9, -1), // 7-10
                movr(R1, R10),                                      // 11
                mov(R0, 0),
                exit());
        assertEquals(Memory.stackTop(0), e.run(0, 0));
        for (int r = 6; r <= 9; r++) {
            assertEquals(r, e.register(r));
        }
        assertEquals(Memory.stackTop(0), e.register(R10));
        assertEquals(Memory.stackTop(1), e.register(R1), "the callee runs on frame 1");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void calleeSeesTheCallersR0AndR6ToR9(Engine engine) {
        var e = exec(engine, mov(R0, 100), mov(R6, 6), mov(R9, 9), callLocal(1), exit(),
                alu64r(AluOp.ADD, R0, R6), alu64r(AluOp.ADD, R0, R9), exit());
        assertEquals(115, e.run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callerSavedRegistersAreNotRestored(Engine engine) {
        var e = exec(engine, mov(R1, 1), mov(R5, 5), callLocal(1), exit(), mov(R1, 10), mov(R5, 50), exit());
        e.run(0, 0);
        assertEquals(10, e.register(R1));
        assertEquals(50, e.register(R5));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void eachFrameHasItsOwnStack(Engine engine) {
        var e = exec(engine,
                st(Size.DW, R10, -8, 0x1111), st(Size.DW, R10, -512, 0x3333), callLocal(4),
                ldx(Size.DW, R0, R10, -8), ldx(Size.DW, R1, R10, -512), alu64r(AluOp.ADD, R0, R1), exit(),
                ldx(Size.DW, R2, R10, -8), st(Size.DW, R10, -8, 0x2222), st(Size.DW, R10, -512, 0x4444),
                ldx(Size.DW, R3, R10, -8), exit());
        assertEquals(0x1111 + 0x3333, e.run(0, 0));
        assertEquals(0, e.register(R2), "the callee's frame does not alias the caller's");
        assertEquals(0x2222, e.register(R3));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callerFrameIsReachableThroughAPointer(Engine engine) {
        var e = exec(engine, st(Size.W, R10, -4, 99), movr(R1, R10), alu64(AluOp.ADD, R1, -4), callLocal(1), exit(),
                ldx(Size.W, R0, R1, 0), exit());
        assertEquals(99, e.run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void calleeStackIsBounded(Engine engine) {
        var e = exec(engine, callLocal(1), exit(), st(Size.B, R10, -513, 1), exit());
        var f = assertThrows(BpfFault.class, () -> e.run(0, 0));
        assertEquals(BpfFault.Kind.OUT_OF_BOUNDS, f.kind());
        assertEquals(2, f.pc());
        assertEquals(Memory.stackTop(1) - 513, f.address());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void eightFramesAreAllowedNotNine(Engine engine) {
        var e = exec(engine, EngineFaultTest.recursion());
        assertEquals(6, e.run(6, 0), "main plus f(6) .. f(0): 8 frames");
        assertEquals(Memory.stackTop(0), e.register(R10));
        assertEquals(BpfFault.Kind.CALL_DEPTH, assertThrows(BpfFault.class, () -> e.run(7, 0)).kind());
        assertEquals(5, e.run(5, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deepestFrameHasItsOwnStack(Engine engine) {
        var e = exec(engine,
                mov(R1, 7), callLocal(1), exit(),
                stx(Size.DW, R10, -8, R1), jmp(JumpOp.JEQ, R1, 1, 3), alu64(AluOp.SUB, R1, 1), callLocal(-4),
                ja(1), mov(R0, 0), ldx(Size.DW, R2, R10, -8), alu64(AluOp.MUL, R0, 10), alu64r(AluOp.ADD, R0, R2),
                exit());
        assertEquals(1234567, e.run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callxToCodeAddresses(Engine engine) {
        assertEquals(42, exec(engine, lddw(R2, codeAddress(4)), callx(R2), exit(), mov(R0, 42), exit()).run(0, 0));
        // into the middle of a function: the JIT compiles that entry on demand
        var mid = exec(engine, lddw(R2, codeAddress(4)), alu64(AluOp.ADD, R2, 32), // 0-1, 2: r2 = address of 8
                mov(R3, 40), alu64(AluOp.ADD, R3, 1), callx(R2), exit(),          // 3, 4, 5, 6
                mov(R0, 1), alu64r(AluOp.ADD, R0, R3), exit());                   // 7, 8, 9
        assertEquals(41, mid.run(0, 0));
        assertEquals(41, mid.run(0, 0), "again, with the entry compiled");
        long computed = codeAddress(6) - 8;
        var dyn = exec(engine, lddw(R2, computed), alu64(AluOp.ADD, R2, 16), callx(R2), exit(), mov(R0, 5), exit(),
                mov(R0, 6), exit());
        assertEquals(6, dyn.run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callxToNoInstructionFaults(Engine engine) {
        var lddwMiddle = exec(engine, lddw(R2, codeAddress(1)), callx(R2), exit());
        var f = assertThrows(BpfFault.class, () -> lddwMiddle.run(0, 0));
        assertEquals(BpfFault.Kind.JUMP_OUT, f.kind());
        assertEquals(2, f.pc());
        var past = exec(engine, lddw(R2, codeAddress(100)), callx(R2), exit());
        f = assertThrows(BpfFault.class, () -> past.run(0, 0));
        assertEquals(codeAddress(100), f.address());
        var unaligned = exec(engine, lddw(R2, codeAddress(3) + 1), callx(R2), exit(), exit());
        assertEquals(BpfFault.Kind.JUMP_OUT, assertThrows(BpfFault.class, () -> unaligned.run(0, 0)).kind());
    }

    // ---- callbacks from helpers (bpf_loop)

    /** Helper 1: calls the function at r1 r2 times with (i, r3); stops early when it returns nonzero. */
    static HelperTable loopHelpers() {
        return new HelperTable()
                .register(1, "loop", (ctx, fn, n, arg, d, e) -> {
                    long i = 0;
                    while (i < n) {
                        long r = ctx.callFunction(fn, i, arg, 0, 0, 0);
                        i++;
                        if (r != 0) {
                            break;
                        }
                    }
                    return i;
                })
                .register(2, "quit", (ctx, a, b, c, d, e) -> {
                    ctx.exit(a);
                    return -1;
                })
                .register(3, "add", (ctx, a, b, c, d, e) -> a + b);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callbacksRunInTheNextFrameAndSeeTheirArguments(Engine engine) {
        var e = exec(engine, loopHelpers(), new Memory(),
                st(Size.DW, R10, -8, 0),            // 0: sum
                lddw(R1, codeAddress(9)),           // 1-2
                mov(R2, 5),                         // 3
                movr(R3, R10), alu64(AluOp.ADD, R3, -8), // 4, 5: arg = &sum
                call(1),                            // 6
                ldx(Size.DW, R0, R10, -8),          // 7
                exit(),                             // 8
                ldx(Size.DW, R4, R2, 0),            // 9: callback(i, &sum): sum += i
                alu64r(AluOp.ADD, R4, R1),
                stx(Size.DW, R2, 0, R4),
                movr(R5, R10),
                mov(R0, 0),
                exit());
        assertEquals(0 + 1 + 2 + 3 + 4, e.run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callbackSeesTheCallersR0AndR6ToR9AndItsOwnFramePointer(Engine engine) {
        var e = exec(engine, loopHelpers(), new Memory(),
                mov(R0, 1000), mov(R6, 1), mov(R9, 2),        // 0-2
                lddw(R1, codeAddress(8)), mov(R2, 3), call(1), // 3-4, 5, 6
                exit(),                                        // 7: r0 = iterations
                alu64r(AluOp.ADD, R6, R0), alu64r(AluOp.ADD, R9, R10), // 8, 9
                mov(R0, 0), exit());
        assertEquals(3, e.run(0, 0));
        assertEquals(1, e.register(R6), "the caller's r6 is its own again");
        assertEquals(2, e.register(R9));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void exitFromACallbackEndsTheProgram(Engine engine) {
        var e = exec(engine, loopHelpers(), new Memory(),
                lddw(R1, codeAddress(6)), mov(R2, 10), mov(R6, 66), call(1), // 0-1, 2, 3, 4
                exit(),                                                     // 5
                mov(R1, 123), call(2), mov(R0, 0), exit());                 // 6-9
        assertEquals(123, e.run(0, 0));
        assertEquals(123, e.register(R0));
        assertEquals(66, e.register(R6));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void legacyLoadOutOfBoundsInACallbackEndsOnlyTheCallback(Engine engine) {
        var e = exec(engine, loopHelpers(), new Memory(),
                lddw(R1, codeAddress(6)), mov(R2, 4), mov(R6, 66), call(1),
                exit(),
                ldAbs(Size.B, 1000), mov(R0, 7), exit());
        assertEquals(4, e.run(0, 0), "the callback returned 0 each time, the loop ran to the end");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void faultInACallbackIsLocatedThereAndLeavesTheCallersRegisters(Engine engine) {
        var e = exec(engine, loopHelpers(), new Memory(),
                mov(R7, 77), lddw(R1, codeAddress(6)), mov(R2, 4), call(1), // 0, 1-2, 3, 4
                exit(),                                                    // 5
                mov(R7, 1), mov(R1, 0), ldx(Size.B, R0, R1, 0), exit());    // 6-9
        var f = assertThrows(BpfFault.class, () -> e.run(0, 0));
        assertEquals(BpfFault.Kind.OUT_OF_BOUNDS, f.kind());
        assertEquals(8, f.pc());
        assertEquals(77, e.register(R7), "the registers are the helper caller's, as the interpreter restores them");
        assertEquals(Memory.stackTop(0), e.register(R10));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callbackBudgetIsItsOwn(Engine engine) {
        // each callback makes 2 backward jumps, the main program 1 call: 2 suffices for 10 callbacks, 1 does not
        var e = exec(engine, loopHelpers(), new Memory(),
                lddw(R1, codeAddress(5)), mov(R2, 10), call(1), exit(),        // 0-1, 2, 3, 4
                mov(R3, 3), alu64(AluOp.SUB, R3, 1), jmp(JumpOp.JNE, R3, 0, -2), mov(R0, 0), exit()); // 5-9
        e.budget(2);
        assertEquals(10, e.run(0, 0));
        e.budget(1);
        var f = assertThrows(BpfFault.class, () -> e.run(0, 0));
        assertEquals(BpfFault.Kind.BUDGET_EXHAUSTED, f.kind());
        assertEquals(7, f.pc());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void nestedCallbacksHitTheDepthLimit(Engine engine) {
        var e = exec(engine, loopHelpers(), new Memory(),
                lddw(R1, codeAddress(4)), mov(R2, 1), call(1), // 0-1, 2, 3
                lddw(R1, codeAddress(4)), mov(R2, 1), call(1), exit()); // 4-5, 6, 7, 8
        var f = assertThrows(BpfFault.class, () -> e.run(0, 0));
        assertEquals(BpfFault.Kind.CALL_DEPTH, f.kind());
        assertEquals(7, f.pc(), "the helper call of the eighth frame");
    }
}
