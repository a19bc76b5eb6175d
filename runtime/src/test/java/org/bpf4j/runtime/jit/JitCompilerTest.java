package org.bpf4j.runtime.jit;

import static org.bpf4j.runtime.jit.Insns.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.Alu;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

/** What the compiler generates: split methods for large functions, sizes HotSpot compiles, caching, no allocation. */
class JitCompilerTest {
    /** HotSpot does not compile methods of more bytecode than this (-XX:-DontCompileHugeMethods aside). */
    private static final int HUGE_METHOD = 8000;

    private static ClassModel classOf(Program p, HelperTable helpers) {
        return ClassFile.of().parse(JitCompiler.classFile(p, helpers, JitCompiler.DEFAULT_REGION_LIMIT));
    }

    private static int codeLength(MethodModel m) {
        return ((CodeAttribute) m.code().orElseThrow()).codeLength();
    }

    /** A straight line of ALU operations and stack accesses, {@code n} instructions, then exit. */
    static Program straightLine(int n, long seed) {
        var rnd = new SplittableRandom(seed);
        List<Instruction> code = new ArrayList<>();
        AluOp[] ops = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.XOR, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH,
            AluOp.ARSH, AluOp.DIV, AluOp.SMOD, AluOp.MOV};
        for (int r = 0; r <= 5; r++) {
            code.add(lddw(r, rnd.nextLong()));
        }
        while (code.size() < n - 1) {
            switch (rnd.nextInt(4)) {
                case 0 -> code.add(stx(Size.DW, R10, -8 * (1 + rnd.nextInt(64)), rnd.nextInt(6)));
                case 1 -> code.add(ldx(Size.values()[rnd.nextInt(4)], rnd.nextInt(6), R10, -8 * (1 + rnd.nextInt(64))));
                default -> code.add(new Alu(rnd.nextBoolean(), ops[rnd.nextInt(ops.length)], rnd.nextInt(6),
                        rnd.nextBoolean() ? Operand.reg(rnd.nextInt(6)) : Operand.imm(rnd.nextInt())));
            }
        }
        code.add(exit());
        return Program.of(code);
    }

    private static void sameOnBothEngines(Program p, HelperTable helpers, long r1) {
        var im = new Memory();
        var jm = new Memory();
        Execution interp = new Interpreter(p, helpers, im).budget(1_000_000);
        Execution jit = Engine.JIT.create(p, helpers, jm).budget(1_000_000);
        Object want, got;
        try {
            want = interp.run(r1);
        } catch (RuntimeException e) {
            want = e.getMessage();
        }
        try {
            got = jit.run(r1);
        } catch (RuntimeException e) {
            got = e.getMessage();
        }
        assertEquals(want, got);
        for (int r = 0; r <= 10; r++) {
            assertEquals(interp.register(r), jit.register(r), "r" + r);
        }
        for (int d = 0; d < Memory.MAX_FRAMES; d++) {
            assertEquals(-1, im.region(1 + d).segment().mismatch(jm.region(1 + d).segment()), "stack frame " + d);
        }
    }

    @Test
    void twentyThousandStraightLineInstructionsCompileIntoSplitMethodsAndRun() {
        Program p = straightLine(20_000, 7);
        ClassModel c = classOf(p, new HelperTable());
        long regions = c.methods().stream().filter(m -> m.methodName().stringValue().startsWith("f0r")).count();
        assertTrue(regions >= 10, "the function is split: " + regions + " regions");
        for (MethodModel m : c.methods()) {
            assertTrue(codeLength(m) < HUGE_METHOD, m.methodName() + ": " + codeLength(m) + " bytes");
        }
        sameOnBothEngines(p, new HelperTable(), 0);
    }

    @Test
    void programsBeyondTheConstantPoolsReachCompile() {
        // 70,000 instructions with distinct 32-bit immediates: more constants than a constant pool holds
        Program p = straightLine(70_000, 70);
        sameOnBothEngines(p, new HelperTable(), 0);
    }

    @Test
    void largeBranchyProgramsSplitIntoMethodsHotSpotCompilesAndBehaveTheSame() {
        for (long seed = 1; seed <= 6; seed++) {
            Program p;
            try {
                p = Program.of(RandomPrograms.generate(seed, 2_000 + (int) seed * 700));
            } catch (LoadException e) {
                continue;
            }
            HelperTable helpers = RandomPrograms.helpers();
            for (MethodModel m : classOf(p, helpers).methods()) {
                assertTrue(codeLength(m) < HUGE_METHOD, "seed " + seed + ", " + m.methodName() + ": " + codeLength(m));
            }
            var s1 = new DifferentialFuzzTest.Setup(seed);
            var s2 = new DifferentialFuzzTest.Setup(seed);
            var a = DifferentialFuzzTest.run(new Interpreter(p, helpers, s1.memory).budget(100_000), s1, 3, 4);
            var b = DifferentialFuzzTest.run(Engine.JIT.create(p, helpers, s2.memory).budget(100_000), s2, 3, 4);
            assertEquals(a, b, "seed " + seed);
        }
    }

    @Test
    void everyMethodStaysUnderTheHugeMethodLimitForRandomPrograms() {
        for (long seed = 100; seed < 400; seed++) {
            Program p;
            try {
                p = Program.of(RandomPrograms.generate(seed, 50 + (int) (seed % 7) * 150));
            } catch (LoadException e) {
                continue;
            }
            for (MethodModel m : classOf(p, RandomPrograms.helpers()).methods()) {
                assertTrue(codeLength(m) < HUGE_METHOD, "seed " + seed + ", " + m.methodName() + ": " + codeLength(m));
            }
        }
    }

    @Test
    void aSmallFunctionIsOneMethod() {
        Program p = program(mov(R0, 1), callLocal(1), exit(), mov(R0, 2), exit());
        var names = classOf(p, new HelperTable()).methods().stream().map(m -> m.methodName().stringValue()).toList();
        assertEquals(List.of("<init>", "call", "f0", "f3"), names.stream().sorted().toList());
    }

    @Test
    void compiledCodeIsCachedPerProgramAndHelperTable() {
        Program p = program(mov(R0, 1), exit());
        HelperTable h = new HelperTable().register(1, "one", (ctx, a, b, c, d, e) -> 1);
        var first = JitCompiler.cached(p, h).compiled();
        assertSame(first, JitCompiler.cached(p, h).compiled());
        assertNotSame(first, JitCompiler.cached(p, new HelperTable()).compiled(), "another table");
        assertNotSame(first, JitCompiler.cached(program(mov(R0, 1), exit()), h).compiled(), "another program");
        h.register(2, "two", (ctx, a, b, c, d, e) -> 2);
        var again = JitCompiler.cached(p, h).compiled();
        assertNotSame(first, again, "the table changed: compiled again");
        assertSame(again, JitCompiler.cached(p, h).compiled());
        assertNotSame(first, JitCompiler.compile(p, h).compiled(), "compile() does not cache");
    }

    @Test
    void executionsOfOneProgramShareTheCodeButNotTheirState() {
        Program p = program(ldx(Size.DW, R0, R10, -8), alu64(AluOp.ADD, R0, 1), stx(Size.DW, R10, -8, R0), exit());
        var a = Engine.JIT.create(p, new HelperTable(), new Memory());
        var b = Engine.JIT.create(p, new HelperTable(), new Memory());
        assertEquals(1, a.run(0));
        assertEquals(2, a.run(0));
        assertEquals(1, b.run(0));
        assertEquals(3, a.run(0));
    }

    @Test
    void helperReplacedAfterCompilationIsNotCalledByStaleCode() {
        Program p = program(call(1), exit());
        HelperTable h = new HelperTable().register(1, "f", (ctx, a, b, c, d, e) -> 10);
        assertEquals(10, Engine.JIT.create(p, h, new Memory()).run(0));
        h.register(1, "f", (ctx, a, b, c, d, e) -> 20);
        assertEquals(20, Engine.JIT.create(p, h, new Memory()).run(0));
    }

    @Test
    void aRunAllocatesNothing() {
        HelperTable helpers = new HelperTable().register(1, "add", (ctx, a, b, c, d, e) -> a + b);
        // a loop with memory accesses, an atomic, a helper call and a local call
        Program p = program(
                mov(R6, 100),                                        // 0
                stx(Size.DW, R10, -8, R6),                           // 1
                ldx(Size.DW, R1, R10, -8),                           // 2
                mov(R2, 1),                                          // 3
                call(1),                                             // 4
                stx(Size.DW, R10, -16, R0),                          // 5
                callLocal(4),                                        // 6 -> 11
                alu64(AluOp.SUB, R6, 1),                             // 7
                jmp(org.bpf4j.core.isa.JumpOp.JNE, R6, 0, -8),       // 8 -> 1
                mov(R0, 0),                                          // 9
                exit(),                                              // 10
                atomic(Size.DW, org.bpf4j.core.isa.AtomicOp.ADD, false, R10, -8, R6), // 11
                exit());
        var e = Engine.JIT.create(p, helpers, new Memory());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            e.run(0);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            e.run(0);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, allocated + " bytes for 10,000 runs");
    }

    @Test
    void compilingIsQuickEnoughToDoAtLoadTime() {
        // not a benchmark (see bench's JitCompileBenchmark): a generous bound that catches accidents
        Program p = straightLine(1_000, 3);
        for (int i = 0; i < 20; i++) {
            JitCompiler.compile(p, new HelperTable());
        }
        long t = System.nanoTime();
        JitCompiler.compile(p, new HelperTable());
        assertTrue(System.nanoTime() - t < 500_000_000L);
    }

    @Test
    void unknownHelperIsRefusedWithTheInterpretersMessage() {
        Program p = program(mov(R1, 1), call(9), exit());
        var e = assertThrows(LoadException.class, () -> JitCompiler.compile(p, new HelperTable()));
        var i = assertThrows(LoadException.class, () -> new Interpreter(p, new HelperTable(), new Memory()));
        assertEquals(i.getMessage(), e.getMessage());
        assertEquals(1, e.index());
    }

    @Test
    void computedCallTargetsGetClassesOfTheirOwnOnDemand() {
        // callx to an instruction that no static analysis sees as a function entry (lddw names 5, callx goes to 7)
        Program q = program(lddw(R2, codeAddress(5)), alu64(AluOp.ADD, R2, 16), callx(R2), exit(), mov(R0, 1),
                exit(), mov(R0, 7), exit());
        HelperTable h = new HelperTable();
        JitProgram jit = JitCompiler.cached(q, h);
        assertEquals(0, jit.compiled().satellites());
        assertEquals(7, jit.newExecution(new Memory()).run(0));
        assertEquals(1, jit.compiled().satellites());
        assertEquals(7, jit.newExecution(new Memory()).run(0));
        assertEquals(1, jit.compiled().satellites(), "made once");
        assertEquals(7, new Interpreter(q, h, new Memory()).run(0));
    }
}
