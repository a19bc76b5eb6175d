package org.bpf4j.runtime.jit;

import static org.bpf4j.runtime.jit.Insns.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.BpfFault.Kind;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way a running program can fault, on both engines: a {@link BpfFault} with the instruction index, the
 * instruction as text and, for memory faults, the address in hex; and the registers as the faulting frame had them.
 */
class EngineFaultTest {

    private static BpfFault fault(Execution e, Kind kind, int pc, long r1, long r2) {
        BpfFault f = assertThrows(BpfFault.class, () -> e.run(r1, r2));
        assertEquals(kind, f.kind(), f::getMessage);
        assertEquals(pc, f.pc(), f::getMessage);
        String text = e.program().describe(pc);
        assertEquals(text, f.instruction());
        assertEquals("fault at instruction " + pc + " (" + text + "): " + f.detail(), f.getMessage());
        return f;
    }

    private static BpfFault fault(Execution e, Kind kind, int pc) {
        return fault(e, kind, pc, 0, 0);
    }

    private static void assertAddress(BpfFault f, long address) {
        assertEquals(address, f.address(), f::getMessage);
        assertTrue(f.getMessage().contains("0x" + Long.toHexString(address)), f::getMessage);
    }

    // ---- stack

    @ParameterizedTest
    @EnumSource(Engine.class)
    void readAboveTheStackFrame(Engine engine) {
        var e = exec(engine, mov(R0, 0), ldx(Size.DW, R0, R10, 0), exit());
        var f = fault(e, Kind.OUT_OF_BOUNDS, 1);
        assertAddress(f, Memory.stackTop(0));
        assertTrue(f.getMessage().contains("stack frame 0"), f::getMessage);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void readStraddlingTheTopOfTheStack(Engine engine) {
        assertAddress(fault(exec(engine, ldx(Size.DW, R0, R10, -4), exit()), Kind.OUT_OF_BOUNDS, 0),
                Memory.stackTop(0) - 4);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void writesOutsideTheStackFrame(Engine engine) {
        assertAddress(fault(exec(engine, mov(R1, 7), stx(Size.B, R10, 0, R1), exit()), Kind.OUT_OF_BOUNDS, 1),
                Memory.stackTop(0));
        assertAddress(fault(exec(engine, st(Size.W, R10, -516, 1), exit()), Kind.OUT_OF_BOUNDS, 0),
                Memory.stackTop(0) - 516);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void wholeStackFrameIsUsable(Engine engine) {
        var e = exec(engine, st(Size.B, R10, -512, 0x5a), st(Size.DW, R10, -8, -1), ldx(Size.B, R0, R10, -512),
                ldx(Size.DW, R1, R10, -8), alu64r(AluOp.ADD, R0, R1), exit());
        assertEquals(0x59, e.run(0, 0));
    }

    // ---- mapped regions

    @ParameterizedTest
    @EnumSource(Engine.class)
    void readPastTheEndOfARegion(Engine engine) {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(16), true);
        var e = exec(engine, new HelperTable(), mem, ldx(Size.DW, R0, R1, 8), ldx(Size.DW, R0, R1, 9), exit());
        var f = fault(e, Kind.OUT_OF_BOUNDS, 1, data.address(0), 16);
        assertAddress(f, data.address(9));
        assertTrue(f.getMessage().contains("'data'"), f::getMessage);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void writePastTheEndOfARegionAfterAStoreThatFits(Engine engine) {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(16), true);
        var e = exec(engine, new HelperTable(), mem, st(Size.H, R1, 14, 1), st(Size.W, R1, 14, 1), exit());
        assertAddress(fault(e, Kind.OUT_OF_BOUNDS, 1, data.address(0), 16), data.address(14));
        assertEquals(1, mem.load16(data.address(14)), "the store before the fault happened");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void accessBeforeTheStartOfTheLowRegion(Engine engine) {
        var mem = new Memory();
        Region low = mem.mapLow("packet", Memory.allocate(64), true);
        var e = exec(engine, new HelperTable(), mem, ldx(Size.B, R0, R1, -1), exit());
        assertAddress(fault(e, Kind.OUT_OF_BOUNDS, 0, low.address(0), 64), Memory.LOW_BASE - 1);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void nullPointers(Engine engine) {
        assertAddress(fault(exec(engine, mov(R1, 0), ldx(Size.B, R0, R1, 0), exit()), Kind.OUT_OF_BOUNDS, 1), 0);
        var mem = new Memory();
        mem.mapLow("packet", Memory.allocate(64), true);
        var e = exec(engine, new HelperTable(), mem, mov(R1, 0), ldx(Size.W, R0, R1, 16), exit());
        var f = fault(e, Kind.OUT_OF_BOUNDS, 1);
        assertAddress(f, 16);
        assertTrue(f.getMessage().contains("null pointer"), f::getMessage);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void unmappedRegionAndHighAddresses(Engine engine) {
        long address = 0x4000_0000_0000_0010L;
        var f = fault(exec(engine, lddw(R1, address), st(Size.DW, R1, 0, 1), exit()), Kind.OUT_OF_BOUNDS, 2);
        assertAddress(f, address);
        assertTrue(f.getMessage().contains("outside any mapped region"), f::getMessage);
        assertAddress(fault(exec(engine, mov(R1, -1), ldx(Size.B, R0, R1, 0), exit()), Kind.OUT_OF_BOUNDS, 1), -1L);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void writeToAReadOnlyRegion(Engine engine) {
        var mem = new Memory();
        var seg = Memory.allocate(8);
        seg.set(ValueLayout.JAVA_BYTE, 3, (byte) 42);
        Region ro = mem.map("rodata", seg, false);
        var e = exec(engine, new HelperTable(), mem, ldx(Size.B, R0, R1, 3), stx(Size.B, R1, 3, R0), exit());
        var f = fault(e, Kind.READ_ONLY, 1, ro.address(0), 8);
        assertAddress(f, ro.address(3));
        assertTrue(f.getMessage().contains("rodata"), f::getMessage);
        assertEquals(42, e.register(R0), "reading it was fine");
        assertEquals(ro.address(0), e.register(R1));
        assertEquals(Memory.stackTop(0), e.register(R10));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void atomicOnAReadOnlyRegion(Engine engine) {
        var mem = new Memory();
        Region ro = mem.map("rodata", Memory.allocate(8), false);
        var e = exec(engine, new HelperTable(), mem, mov(R2, 1), atomic(Size.DW, AtomicOp.ADD, false, R1, 0, R2), exit());
        assertAddress(fault(e, Kind.READ_ONLY, 1, ro.address(0), 8), ro.address(0));
    }

    // ---- atomics

    @ParameterizedTest
    @EnumSource(Engine.class)
    void misalignedAtomics(Engine engine) {
        assertAddress(fault(exec(engine, mov(R1, 1), atomic(Size.W, AtomicOp.ADD, false, R10, -6, R1), exit()),
                Kind.MISALIGNED, 1), Memory.stackTop(0) - 6);
        assertAddress(fault(exec(engine, mov(R0, 0), atomic(Size.DW, AtomicOp.CMPXCHG, true, R10, -12, R0), exit()),
                Kind.MISALIGNED, 1), Memory.stackTop(0) - 12);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void misalignedAtomicLeavesMemoryAlone(Engine engine) {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(16), true);
        var e = exec(engine, new HelperTable(), mem, mov(R2, -1), atomic(Size.DW, AtomicOp.XCHG, true, R1, 4, R2), exit());
        fault(e, Kind.MISALIGNED, 1, data.address(0), 16);
        assertEquals(0, mem.load64(data.address(0)));
        assertEquals(0, mem.load64(data.address(8)));
        assertEquals(-1, e.register(R2), "xchg did not fetch");
    }

    // ---- helpers

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callxOfUnknownHelpers(Engine engine) {
        var helpers = new HelperTable().register(1, "one", (ctx, a, b, c, d, e) -> 1);
        var f = fault(exec(engine, helpers, new Memory(), mov(R2, 99), callx(R2), exit()), Kind.UNKNOWN_HELPER, 1);
        assertTrue(f.getMessage().contains("#99"), f::getMessage);
        fault(exec(engine, mov(R2, -1), callx(R2), exit()), Kind.UNKNOWN_HELPER, 1);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callxOfAKnownHelperCallsIt(Engine engine) {
        var helpers = new HelperTable().register(5, "sum", (ctx, a, b, c, d, e) -> a + b);
        assertEquals(30, exec(engine, helpers, new Memory(), mov(R3, 5), callx(R3), exit()).run(10, 20));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void helperThatThrowsFaultsWithTheCauseKept(Engine engine) {
        var boom = new IllegalStateException("boom");
        var helpers = new HelperTable().register(7, "explode", (ctx, a, b, c, d, e) -> {
            throw boom;
        });
        for (Instruction call : new Instruction[] {call(7), callx(R3)}) {
            var e = exec(engine, helpers, new Memory(), mov(R0, 0), mov(R3, 7), call, exit());
            var f = fault(e, Kind.HELPER_FAILED, 2);
            assertSame(boom, f.getCause());
            assertEquals("helper explode (#7) failed: " + boom, f.detail());
            assertEquals(BpfFault.NONE, f.address());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void helperStackOverflowIsAHelperFailure(Engine engine) {
        var helpers = new HelperTable().register(7, "deep", (ctx, a, b, c, d, e) -> {
            throw new StackOverflowError();
        });
        fault(exec(engine, helpers, new Memory(), call(7), exit()), Kind.HELPER_FAILED, 0);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void helperWhoseMemoryAccessFaultsStopsTheProgramAtTheCall(Engine engine) {
        var helpers = new HelperTable().register(3, "peek", (ctx, a, b, c, d, e) -> ctx.memory().load64(a));
        var f = fault(exec(engine, helpers, new Memory(), mov(R1, 64), call(3), exit()), Kind.OUT_OF_BOUNDS, 1);
        assertAddress(f, 64);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void helperExitEndsTheProgramWithItsValue(Engine engine) {
        var helpers = new HelperTable().register(2, "quit", (ctx, a, b, c, d, e) -> {
            ctx.exit(a);
            return 0;
        });
        var e = exec(engine, helpers, new Memory(), mov(R1, 77), call(2), mov(R0, 1), exit());
        assertEquals(77, e.run(0, 0));
        assertEquals(77, e.register(R0));
        var again = exec(engine, helpers, new Memory(), mov(R0, 3), exit());
        assertEquals(3, again.run(0, 0), "the next run starts afresh");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void helperExitInACalleeEndsTheWholeProgram(Engine engine) {
        var helpers = new HelperTable().register(2, "quit", (ctx, a, b, c, d, e) -> {
            ctx.exit(a);
            return 0;
        });
        var e = exec(engine, helpers, new Memory(),
                mov(R6, 6), callLocal(2), mov(R0, 1), exit(), // 0-3
                mov(R6, 60), mov(R1, 9), call(2), mov(R0, 2), exit()); // 4-8
        assertEquals(9, e.run(0, 0));
        assertEquals(60, e.register(R6), "the registers of the frame that ended it");
        assertEquals(Memory.stackTop(1), e.register(R10));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callToAnUnregisteredHelperIsRefusedAtCreation(Engine engine) {
        var p = program(mov(R0, 0), call(1), call(42), exit());
        var helpers = new HelperTable().register(1, "one", (ctx, a, b, c, d, e) -> 1);
        var e = assertThrows(LoadException.class, () -> engine.create(p, helpers, new Memory()));
        assertEquals(2, e.index());
        assertTrue(e.getMessage().contains("#42"), e::getMessage);
    }

    // ---- control flow

    @ParameterizedTest
    @EnumSource(Engine.class)
    void runningPastTheLastInstruction(Engine engine) {
        var e = exec(engine, mov(R0, 1), mov(R1, 2));
        var f = fault(e, Kind.JUMP_OUT, 1);
        assertEquals(BpfFault.NONE, f.address());
        assertEquals(2, e.register(R1), "both instructions ran");
        fault(exec(engine, mov(R0, 1), jmp(JumpOp.JEQ, R0, 0, -2)), Kind.JUMP_OUT, 1);
        // past an lddw at the end: the fault names the last slot, which starts no instruction
        var l = exec(engine, mov(R0, 1), lddw(R1, 5));
        var f2 = assertThrows(BpfFault.class, () -> l.run(0, 0));
        assertEquals(2, f2.pc());
        assertEquals("<none>", f2.instruction());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void endlessLoopExhaustsTheBudgetPromptly(Engine engine) {
        var e = exec(engine, mov(R0, 0), alu64(AluOp.ADD, R0, 1), ja(-2), exit()).budget(10_000);
        BpfFault f = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fault(e, Kind.BUDGET_EXHAUSTED, 2));
        assertEquals(e.program().describe(2), f.instruction());
        assertEquals(10_001, e.register(R0), "the budget counts backward jumps");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void selfJumpsAndConditionalLoopsExhaustTheBudget(Engine engine) {
        var a = exec(engine, ja(-1), exit()).budget(100);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fault(a, Kind.BUDGET_EXHAUSTED, 0));
        var b = exec(engine, mov(R1, 1), jmp(JumpOp.JNE, R1, 0, -1), exit()).budget(50);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fault(b, Kind.BUDGET_EXHAUSTED, 1));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void budgetIsPerRunAndCountsCalls(Engine engine) {
        var e = exec(engine, mov(R0, 3), alu64(AluOp.SUB, R0, 1), jmp(JumpOp.JNE, R0, 0, -2), exit()).budget(1);
        fault(e, Kind.BUDGET_EXHAUSTED, 2);
        e.budget(2);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, e.run(0, 0));
        }
        // two calls and one backward jump in the callee: 3 is enough, 2 is not
        var calls = exec(engine, callLocal(2), callLocal(1), exit(), mov(R0, 0), ja(0), exit());
        calls.budget(2);
        assertEquals(0, calls.run(0, 0));
        calls.budget(1);
        fault(calls, Kind.BUDGET_EXHAUSTED, 1);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void recursionHitsTheCallDepthLimit(Engine engine) {
        fault(exec(engine, callLocal(-1), exit()), Kind.CALL_DEPTH, 0);
        var e = exec(engine, recursion());
        var f = fault(e, Kind.CALL_DEPTH, RECURSIVE_CALL, 7, 0);
        assertEquals("call depth exceeds 8 frames", f.detail());
        assertEquals(Memory.stackTop(7), e.register(R10), "faulted in the eighth frame");
        assertEquals(6, e.run(6, 0), "usable afterwards");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void faultingRunDoesNotPoisonTheNext(Engine engine) {
        var e = exec(engine, ldx(Size.DW, R0, R1, 0), exit());
        assertThrows(BpfFault.class, () -> e.run(0, 0));
        assertEquals(0, e.run(Memory.stackTop(0) - 8, 0));
    }

    static final int RECURSIVE_CALL = 6;

    /** main(r1 = n) calls f(n), f(n) = n == 0 ? 0 : f(n - 1) + 1. */
    static Instruction[] recursion() {
        return new Instruction[] {
            callLocal(1),                      // 0: call f (at 2)
            exit(),                            // 1
            jmp(JumpOp.JNE, R1, 0, 2),         // 2: f: if r1 != 0 goto 5
            mov(R0, 0),                        // 3
            exit(),                            // 4
            alu64(AluOp.SUB, R1, 1),           // 5
            callLocal(-5),                     // 6: call f (at 2)
            alu64(AluOp.ADD, R0, 1),           // 7
            exit(),                            // 8
        };
    }
}
