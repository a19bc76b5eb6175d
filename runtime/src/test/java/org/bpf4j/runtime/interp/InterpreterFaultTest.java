package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.BpfFault.Kind;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;

/**
 * Every way a running program can fault: the interpreter stops with a {@link BpfFault} that names the instruction
 * index, the instruction as text and, for memory faults, the address in hex.
 */
class InterpreterFaultTest {

    /** Runs and returns the fault, checking what every fault must say. */
    private static BpfFault fault(Interpreter in, Kind kind, int pc, long r1, long r2) {
        BpfFault f = assertThrows(BpfFault.class, () -> in.run(r1, r2));
        assertEquals(kind, f.kind(), f::getMessage);
        assertEquals(pc, f.pc(), f::getMessage);
        String text = in.program().describe(pc);
        assertEquals(text, f.instruction());
        assertTrue(f.getMessage().contains("instruction " + pc), f::getMessage);
        assertTrue(f.getMessage().contains(text), f::getMessage);
        return f;
    }

    private static BpfFault fault(Interpreter in, Kind kind, int pc) {
        return fault(in, kind, pc, 0, 0);
    }

    private static void assertAddress(BpfFault f, long address) {
        assertEquals(address, f.address(), f::getMessage);
        assertTrue(f.getMessage().contains("0x" + Long.toHexString(address)), f::getMessage);
    }

    // ---- stack

    @Test
    void readAboveTheStackFrameFaultsWithItsAddress() {
        var in = interp(mov(R0, 0), ldx(Size.DW, R0, R10, 0), exit());
        var f = fault(in, Kind.OUT_OF_BOUNDS, 1);
        assertAddress(f, Memory.stackTop(0));
        assertTrue(f.getMessage().contains("stack frame 0"), f::getMessage);
    }

    @Test
    void readStraddlingTheTopOfTheStackFaults() {
        var in = interp(ldx(Size.DW, R0, R10, -4), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 0), Memory.stackTop(0) - 4);
    }

    @Test
    void writeAboveTheStackFrameFaults() {
        var in = interp(mov(R1, 7), stx(Size.B, R10, 0, R1), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 1), Memory.stackTop(0));
    }

    @Test
    void writeBelowTheStackFrameFaults() {
        var in = interp(st(Size.W, R10, -516, 1), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 0), Memory.stackTop(0) - 516);
    }

    @Test
    void wholeStackFrameIsUsable() {
        var in = interp(
                st(Size.B, R10, -512, 0x5a),
                st(Size.DW, R10, -8, -1),
                ldx(Size.B, R0, R10, -512),
                ldx(Size.DW, R1, R10, -8),
                alu64r(AluOp.ADD, R0, R1),
                exit());
        assertEquals(0x59, in.run(0, 0));
    }

    // ---- mapped regions

    @Test
    void readPastTheEndOfAMappedRegionFaults() {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(16), true);
        var in = interp(new HelperTable(), mem, ldx(Size.DW, R0, R1, 8), ldx(Size.DW, R0, R1, 9), exit());
        var f = fault(in, Kind.OUT_OF_BOUNDS, 1, data.address(0), 16);
        assertAddress(f, data.address(9));
        assertTrue(f.getMessage().contains("'data'"), f::getMessage);
    }

    @Test
    void writePastTheEndOfAMappedRegionFaults() {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(16), true);
        var in = interp(new HelperTable(), mem, st(Size.H, R1, 14, 1), st(Size.W, R1, 14, 1), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 1, data.address(0), 16), data.address(14));
        assertEquals(1, mem.load16(data.address(14)), "the store before the fault happened");
    }

    @Test
    void accessBeforeTheStartOfARegionFaults() {
        var mem = new Memory();
        Region low = mem.mapLow("packet", Memory.allocate(64), true);
        var in = interp(new HelperTable(), mem, ldx(Size.B, R0, R1, -1), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 0, low.address(0), 64), Memory.LOW_BASE - 1);
    }

    @Test
    void readThroughNullFaults() {
        var in = interp(mov(R1, 0), ldx(Size.B, R0, R1, 0), exit());
        var f = fault(in, Kind.OUT_OF_BOUNDS, 1);
        assertAddress(f, 0);
    }

    @Test
    void readThroughNullFaultsEvenWithALowRegion() {
        var mem = new Memory();
        mem.mapLow("packet", Memory.allocate(64), true);
        var in = interp(new HelperTable(), mem, mov(R1, 0), ldx(Size.W, R0, R1, 16), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 1), 16);
    }

    @Test
    void writeToAnUnmappedRegionFaults() {
        long address = 0x4000_0000_0000_0010L;
        var in = interp(lddw(R1, address), st(Size.DW, R1, 0, 1), exit());
        var f = fault(in, Kind.OUT_OF_BOUNDS, 2);
        assertAddress(f, address);
        assertTrue(f.getMessage().contains("outside any mapped region"), f::getMessage);
    }

    @Test
    void addressWithTheHighBitSetFaults() {
        var in = interp(mov(R1, -1), ldx(Size.B, R0, R1, 0), exit());
        assertAddress(fault(in, Kind.OUT_OF_BOUNDS, 1), -1L);
    }

    @Test
    void writeToAReadOnlyRegionFaults() {
        var mem = new Memory();
        var seg = Memory.allocate(8);
        seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 3, (byte) 42);
        Region ro = mem.map("rodata", seg, false);
        var in = interp(new HelperTable(), mem, ldx(Size.B, R0, R1, 3), stx(Size.B, R1, 3, R0), exit());
        var f = fault(in, Kind.READ_ONLY, 1, ro.address(0), 8);
        assertAddress(f, ro.address(3));
        assertTrue(f.getMessage().contains("rodata"), f::getMessage);
        assertEquals(42, in.register(R0), "reading it was fine");
        assertEquals(42, seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3));
    }

    @Test
    void atomicOnAReadOnlyRegionFaults() {
        var mem = new Memory();
        Region ro = mem.map("rodata", Memory.allocate(8), false);
        var in = interp(new HelperTable(), mem, mov(R2, 1), atomic(Size.DW, AtomicOp.ADD, false, R1, 0, R2), exit());
        assertAddress(fault(in, Kind.READ_ONLY, 1, ro.address(0), 8), ro.address(0));
    }

    // ---- atomics

    @Test
    void misalignedAtomicFaults() {
        var in = interp(mov(R1, 1), atomic(Size.W, AtomicOp.ADD, false, R10, -6, R1), exit());
        var f = fault(in, Kind.MISALIGNED, 1);
        assertAddress(f, Memory.stackTop(0) - 6);
    }

    @Test
    void misaligned64BitAtomicFaultsEvenWhen4ByteAligned() {
        var in = interp(mov(R0, 0), atomic(Size.DW, AtomicOp.CMPXCHG, true, R10, -12, R0), exit());
        assertAddress(fault(in, Kind.MISALIGNED, 1), Memory.stackTop(0) - 12);
    }

    @Test
    void misalignedAtomicLeavesMemoryAlone() {
        var mem = new Memory();
        Region data = mem.map("data", Memory.allocate(16), true);
        var in = interp(new HelperTable(), mem, mov(R2, -1), atomic(Size.DW, AtomicOp.XCHG, true, R1, 4, R2), exit());
        fault(in, Kind.MISALIGNED, 1, data.address(0), 16);
        assertEquals(0, mem.load64(data.address(0)));
        assertEquals(0, mem.load64(data.address(8)));
    }

    // ---- helpers

    @Test
    void callxOfAnUnknownHelperFaults() {
        var helpers = new HelperTable().register(1, "one", (ctx, a, b, c, d, e) -> 1);
        var in = interp(helpers, new Memory(), mov(R2, 99), callx(R2), exit());
        var f = fault(in, Kind.UNKNOWN_HELPER, 1);
        assertTrue(f.getMessage().contains("#99"), f::getMessage);
    }

    @Test
    void callxOfANegativeHelperNumberFaults() {
        var in = interp(mov(R2, -1), callx(R2), exit());
        fault(in, Kind.UNKNOWN_HELPER, 1);
    }

    @Test
    void callxOfAKnownHelperCallsIt() {
        var helpers = new HelperTable().register(5, "sum", (ctx, a, b, c, d, e) -> a + b);
        var in = interp(helpers, new Memory(), mov(R3, 5), callx(R3), exit());
        assertEquals(30, in.run(10, 20));
    }

    @Test
    void helperThatThrowsFaultsWithTheCauseKept() {
        var boom = new IllegalStateException("boom");
        var helpers = new HelperTable().register(7, "explode", (ctx, a, b, c, d, e) -> {
            throw boom;
        });
        var in = interp(helpers, new Memory(), mov(R0, 0), call(7), exit());
        var f = fault(in, Kind.HELPER_FAILED, 1);
        assertSame(boom, f.getCause());
        assertTrue(f.getMessage().contains("explode"), f::getMessage);
        assertEquals(BpfFault.NONE, f.address());
    }

    @Test
    void helperWhoseMemoryAccessFaultsStopsTheProgramAtTheCall() {
        var helpers = new HelperTable().register(3, "peek", (ctx, a, b, c, d, e) -> ctx.memory().load64(a));
        var in = interp(helpers, new Memory(), mov(R1, 64), call(3), exit());
        var f = fault(in, Kind.OUT_OF_BOUNDS, 1);
        assertAddress(f, 64);
    }

    @Test
    void helperExitEndsTheProgramWithItsValue() {
        var helpers = new HelperTable().register(2, "quit", (ctx, a, b, c, d, e) -> {
            ctx.exit(a);
            return 0;
        });
        var in = interp(helpers, new Memory(), mov(R1, 77), call(2), mov(R0, 1), exit());
        assertEquals(77, in.run(0, 0));
        assertEquals(77, in.register(R0));
        // the next run starts afresh
        var again = interp(helpers, new Memory(), mov(R0, 3), exit());
        assertEquals(3, again.run(0, 0));
    }

    @Test
    void interpreterRefusesACallToAnUnregisteredHelper() {
        var p = program(mov(R0, 0), call(1), call(42), exit());
        var helpers = new HelperTable().register(1, "one", (ctx, a, b, c, d, e) -> 1);
        var e = assertThrows(LoadException.class, () -> new Interpreter(p, helpers, new Memory()));
        assertEquals(2, e.index());
        assertTrue(e.getMessage().contains("#42"), e::getMessage);
    }

    // ---- control flow

    @Test
    void runningPastTheLastInstructionFaults() {
        var in = interp(mov(R0, 1), mov(R1, 2));
        var f = fault(in, Kind.JUMP_OUT, 1);
        assertEquals(BpfFault.NONE, f.address());
        assertEquals(2, in.register(R1), "both instructions ran");
    }

    @Test
    void fallingThroughAConditionalJumpPastTheEndFaults() {
        var in = interp(mov(R0, 1), jmp(JumpOp.JEQ, R0, 0, -2));
        fault(in, Kind.JUMP_OUT, 1);
    }

    @Test
    void endlessLoopExhaustsTheBudgetPromptly() {
        var in = interp(mov(R0, 0), alu64(AluOp.ADD, R0, 1), ja(-2), exit()).budget(10_000);
        BpfFault f = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(BpfFault.class, () -> in.run(0, 0)));
        assertEquals(Kind.BUDGET_EXHAUSTED, f.kind());
        assertEquals(2, f.pc());
        assertEquals(in.program().describe(2), f.instruction());
        assertTrue(f.getMessage().contains("instruction 2"), f::getMessage);
        assertEquals(10_001, in.register(R0), "the budget counts backward jumps");
    }

    @Test
    void jumpToItselfExhaustsTheBudget() {
        var in = interp(ja(-1), exit()).budget(100);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fault(in, Kind.BUDGET_EXHAUSTED, 0));
    }

    @Test
    void endlessConditionalLoopExhaustsTheBudget() {
        var in = interp(mov(R1, 1), jmp(JumpOp.JNE, R1, 0, -1), exit()).budget(50);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fault(in, Kind.BUDGET_EXHAUSTED, 1));
    }

    @Test
    void budgetIsPerRun() {
        // 2 backward jumps per run: budget 1 is too little, budget 2 enough for every run
        var in = interp(mov(R0, 3), alu64(AluOp.SUB, R0, 1), jmp(JumpOp.JNE, R0, 0, -2), exit()).budget(1);
        fault(in, Kind.BUDGET_EXHAUSTED, 2);
        in.budget(2);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, in.run(0, 0));
        }
    }

    @Test
    void endlessRecursionHitsTheCallDepthLimit() {
        // f: call f (never returns); the depth limit stops it
        var in = interp(callLocal(-1), exit());
        fault(in, Kind.CALL_DEPTH, 0);
    }

    @Test
    void callDepthOfNineFramesFaults() {
        // main calls f(7): f recurses while r1 != 0, so 1 + 8 frames
        var in = interp(Recursion.program());
        var f = assertThrows(BpfFault.class, () -> in.run(7, 0));
        assertEquals(Kind.CALL_DEPTH, f.kind());
        assertEquals(Recursion.RECURSIVE_CALL, f.pc());
        assertTrue(f.getMessage().contains("instruction " + Recursion.RECURSIVE_CALL), f::getMessage);
        assertTrue(f.getMessage().contains(in.program().describe(Recursion.RECURSIVE_CALL)), f::getMessage);
    }

    @Test
    void faultingRunDoesNotPoisonTheNext() {
        var in = interp(ldx(Size.DW, R0, R1, 0), exit());
        assertThrows(BpfFault.class, () -> in.run(0, 0));
        assertEquals(0, in.run(Memory.stackTop(0) - 8, 0));
    }

    /** A recursive function: main(r1 = n) calls f(n), f(n) = n == 0 ? 0 : f(n - 1) + 1. */
    static final class Recursion {
        static final int RECURSIVE_CALL = 6;

        static org.bpf4j.core.isa.Instruction[] program() {
            return new org.bpf4j.core.isa.Instruction[] {
                callLocal(1),                      // 0: call f (at 2)
                exit(),                            // 1
                jmp(JumpOp.JNE, R1, 0, 2),          // 2: f: if r1 != 0 goto 5
                mov(R0, 0),                        // 3
                exit(),                            // 4
                alu64(AluOp.SUB, R1, 1),           // 5
                callLocal(-5),                     // 6: call f (at 2)
                alu64(AluOp.ADD, R0, 1),           // 7
                exit(),                            // 8
            };
        }
    }
}
