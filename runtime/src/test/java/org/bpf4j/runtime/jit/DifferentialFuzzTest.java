package org.bpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bpf4j.core.asm.Disassembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;

/**
 * Random programs ({@link RandomPrograms}) on the interpreter, the JIT, and the JIT with every function split into
 * small regions (for every other seed also with constants built from halves, as for large programs): after every
 * run, the same r0 or the same fault (kind, instruction index, message, address), the same registers, and the same
 * bytes in every region and stack frame. Seeded and bounded in time: a failure names
 * its seed and prints the program.
 */
class DifferentialFuzzTest {
    private static final long BASE_SEED = 0x5eed_b9f4_0000L;
    private static final long TIME_BUDGET_NANOS = 15_000_000_000L;
    private static final int MAX_PROGRAMS = 20_000;

    /** What a run did, for comparison. */
    record Outcome(Long r0, String fault, List<Long> registers, List<String> memory) {}

    /** The memory every engine gets: the same data, low and read-only regions, from the seed. */
    static final class Setup {
        final Memory memory = new Memory();
        final Region data, low, rodata;

        Setup(long seed) {
            var rnd = new SplittableRandom(seed ^ 0x3141_5926L);
            data = memory.map("data", fill(RandomPrograms.DATA, rnd), true);
            low = memory.mapLow("packet", fill(RandomPrograms.LOW, rnd), true);
            rodata = memory.map("rodata", fill(RandomPrograms.RODATA, rnd), false);
        }

        private static MemorySegment fill(int size, SplittableRandom rnd) {
            MemorySegment s = Memory.allocate(size);
            for (int i = 0; i < size; i++) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
            }
            return s;
        }

        List<String> snapshot() {
            List<String> out = new ArrayList<>();
            for (Region r : new Region[] {data, low, rodata}) {
                out.add(r.name() + " " + Arrays.toString(r.segment().toArray(ValueLayout.JAVA_BYTE)));
            }
            for (int d = 0; d < Memory.MAX_FRAMES; d++) {
                out.add("frame " + d + " "
                        + Arrays.toString(memory.region(Memory.FIRST_STACK_REGION + d).segment().toArray(ValueLayout.JAVA_BYTE)));
            }
            return out;
        }
    }

    enum Variant { INTERPRETER, JIT, JIT_SPLIT }

    static Outcome run(Execution e, Setup s, long r4, long r5) {
        Long r0 = null;
        String fault = null;
        try {
            r0 = e.run(s.data.start(), s.low.start(), s.rodata.start(), r4, r5);
        } catch (BpfFault f) {
            fault = f.kind() + " pc=" + f.pc() + " address=" + f.address() + " instruction=" + f.instruction()
                    + " message=" + f.getMessage() + " cause=" + (f.getCause() == null ? null : f.getCause().getClass());
        }
        List<Long> regs = new ArrayList<>();
        for (int r = 0; r <= 10; r++) {
            regs.add(e.register(r));
        }
        return new Outcome(r0, fault, regs, s.snapshot());
    }

    static String listing(Program p) {
        StringBuilder b = new StringBuilder();
        for (int pc = 0; pc < p.length(); pc++) {
            Instruction i = p.at(pc);
            if (i != null) {
                b.append(String.format("%4d: %s%n", pc, Disassembler.format(i, Syntax.LLVM)));
            }
        }
        return b.toString();
    }

    /** Runs one program on all variants, 3 runs each with the same inputs; returns the outcomes of the last run. */
    static Map<Variant, Outcome> check(long seed, int splitLimit, int warmRuns) {
        Program program;
        try {
            program = Program.of(RandomPrograms.generate(seed));
        } catch (LoadException e) {
            return null; // a jump past the end of the program: not a valid program
        }
        HelperTable helpers = RandomPrograms.helpers();
        var rnd = new SplittableRandom(seed);
        long budget = switch (rnd.nextInt(8)) {
            case 0 -> 1 + rnd.nextInt(40);
            case 1 -> 200;
            default -> 20_000;
        };
        Map<Variant, Setup> setups = new EnumMap<>(Variant.class);
        Map<Variant, Execution> executions = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            Setup s = new Setup(seed);
            setups.put(v, s);
            Execution e = switch (v) {
                case INTERPRETER -> new Interpreter(program, helpers, s.memory);
                case JIT -> JitCompiler.cached(program, helpers).newExecution(s.memory);
                case JIT_SPLIT -> new JitExecution(program, helpers, s.memory,
                        JitCompiler.compile(program, helpers.toArray(), splitLimit, (seed & 1) == 0));
            };
            executions.put(v, e.budget(budget));
        }
        if (warmRuns > 0) {
            // make HotSpot compile the generated code, on memory of its own, before the compared runs
            Setup scratch = new Setup(seed);
            Execution warm = JitCompiler.cached(program, helpers).newExecution(scratch.memory).budget(budget);
            for (int i = 0; i < warmRuns; i++) {
                try {
                    warm.run(scratch.data.start(), scratch.low.start(), scratch.rodata.start(), i, -i);
                } catch (BpfFault ignored) {
                    // faults are part of the program's behaviour
                }
            }
        }
        Map<Variant, Outcome> last = null;
        for (int round = 0; round < 3; round++) {
            long r4 = rnd.nextLong(), r5 = rnd.nextInt(3) == 0 ? RandomPrograms.EDGES[rnd.nextInt(RandomPrograms.EDGES.length)] : rnd.nextLong();
            Map<Variant, Outcome> outcomes = new EnumMap<>(Variant.class);
            for (Variant v : Variant.values()) {
                outcomes.put(v, run(executions.get(v), setups.get(v), r4, r5));
            }
            Outcome want = outcomes.get(Variant.INTERPRETER);
            for (Variant v : new Variant[] {Variant.JIT, Variant.JIT_SPLIT}) {
                Outcome got = outcomes.get(v);
                if (!want.equals(got)) {
                    fail("seed 0x" + Long.toHexString(seed) + " (split limit " + splitLimit + "), run " + round + ": "
                            + v + " differs from the interpreter\n"
                            + "interpreter: " + want.r0() + " " + want.fault() + "\n"
                            + v + ": " + got.r0() + " " + got.fault() + "\n"
                            + "registers: " + want.registers() + "\n"
                            + "       vs: " + got.registers() + "\n"
                            + (want.memory().equals(got.memory()) ? "" : "memory differs:\n" + diff(want.memory(), got.memory()))
                            + listing(program));
                }
            }
            last = outcomes;
        }
        return last;
    }

    private static String diff(List<String> a, List<String> b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                s.append("  ").append(a.get(i)).append("\n  ").append(b.get(i)).append('\n');
            }
        }
        return s.toString();
    }

    @Test
    void randomProgramsBehaveTheSameOnEveryEngine() {
        long start = System.nanoTime();
        int programs = 0, invalid = 0, faulted = 0;
        Map<String, Integer> faultKinds = new java.util.TreeMap<>();
        int[] limits = {0, 600, 1500};
        for (int i = 0; i < MAX_PROGRAMS && System.nanoTime() - start < TIME_BUDGET_NANOS; i++) {
            long seed = BASE_SEED + i;
            var outcome = check(seed, limits[i % limits.length], i % 97 == 5 ? 6000 : 0);
            if (outcome == null) {
                invalid++;
                continue;
            }
            programs++;
            String fault = outcome.get(Variant.INTERPRETER).fault();
            if (fault != null) {
                faulted++;
                faultKinds.merge(fault.substring(0, fault.indexOf(' ')), 1, Integer::sum);
            }
        }
        System.out.printf("differential fuzz: %d programs (%d invalid skipped), %d ended in a fault on their last run: %s%n",
                programs, invalid, faulted, faultKinds);
        assertTrue(programs >= 500, "too few programs ran: " + programs);
        assertTrue(faulted > programs / 20 && faulted < programs * 9 / 10, "faults should be neither rare nor the rule");
    }
}
