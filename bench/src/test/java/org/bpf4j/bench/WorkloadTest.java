package org.bpf4j.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import org.bpf4j.runtime.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every benchmark program computes what the same computation in Java does, run after run. */
class WorkloadTest {

    /** The result each program must return, computed in Java from the same input. */
    static long expected(Workload w) {
        byte[] in = w.input();
        return switch (w) {
            case SIEVE -> {
                int n = in.length;
                boolean[] composite = new boolean[n];
                long count = 0;
                for (int i = 2; i < n; i++) {
                    if (!composite[i]) {
                        count++;
                        for (long j = (long) i * i; j < n; j += i) {
                            composite[(int) j] = true;
                        }
                    }
                }
                yield count;
            }
            case MEMCPY -> {
                long sum = 0;
                for (int i = 0; i < in.length / 2; i++) {
                    sum += in[i] & 0xff;
                }
                yield sum;
            }
            case SWITCH -> {
                long acc = 0;
                for (byte x : in) {
                    long b = x & 0xff;
                    acc = switch ((int) (b & 7)) {
                        case 0 -> acc + 1;
                        case 1 -> acc + b;
                        case 2 -> acc - b;
                        case 3 -> acc ^ 0x5a;
                        case 4 -> acc * 3;
                        case 5 -> acc + (acc >>> 3);
                        case 6 -> acc ^ (b << 8);
                        default -> acc - 7;
                    };
                }
                yield acc;
            }
            case STRCMP -> {
                int half = in.length / 2;
                int i = 0;
                while (in[i] == in[half + i] && in[i] != 0) {
                    i++;
                }
                yield (in[i] & 0xff) - (in[half + i] & 0xff);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void interpreterComputesWhatJavaDoes(Workload w) {
        Workload.Prepared p = w.prepare();
        long want = expected(w);
        assertEquals(want, p.run());
        assertEquals(want, p.run(), "a second run on the same memory gives the same");
        assertEquals(want, p.execution().register(0));
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void jitComputesWhatJavaDoes(Workload w) {
        Workload.Prepared p = w.prepare(Engine.JIT);
        long want = expected(w);
        assertEquals(want, p.run());
        assertEquals(want, p.run(), "a second run on the same memory gives the same");
        assertEquals(want, p.execution().register(0));
        Workload.Prepared i = w.prepare(Engine.INTERPRETER);
        i.run();
        assertEquals(-1, i.region().segment().mismatch(p.region().segment()), "the same memory after the run");
        for (int r = 0; r <= 10; r++) {
            assertEquals(i.execution().register(r), p.execution().register(r), "r" + r);
        }
    }

    @Test
    void compileWorkloadHasAboutAThousandInstructionsAndRuns() {
        var program = CompileWorkload.program();
        assertTrue(program.length() >= 950 && program.length() <= 1100, "instructions: " + program.length());
        var helpers = CompileWorkload.helpers();
        var mem = new org.bpf4j.runtime.memory.Memory();
        var data = mem.mapLow("packet", org.bpf4j.runtime.memory.Memory.allocate(128), true);
        mem.store32(data.address(4), (int) data.address(100));
        long want = Engine.INTERPRETER.create(program, helpers, mem).run(data.address(0));
        var mem2 = new org.bpf4j.runtime.memory.Memory();
        var data2 = mem2.mapLow("packet", org.bpf4j.runtime.memory.Memory.allocate(128), true);
        mem2.store32(data2.address(4), (int) data2.address(100));
        assertEquals(want, Engine.JIT.create(program, helpers, mem2).run(data2.address(0)));
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void counterAgreesWithTheInterpreter(Workload w) {
        Workload.Prepared p = w.prepare();
        var counted = InstructionCounter.run(p.program(), p.memory(), p.address(), p.length());
        assertEquals(p.run(), counted.r0());
        assertTrue(counted.executed() > 10_000, "a CPU-bound run: " + counted.executed());
        System.out.printf("%s: %,d instructions per run, r0 = %d%n", w.programName(), counted.executed(), counted.r0());
    }

    @Test
    void counterCountsWhatTheLoopsExecute() {
        // memcpy: 8 instructions of set-up, 6 per byte copied, exit
        Workload.Prepared m = Workload.MEMCPY.prepare();
        assertEquals(8 + 6 * (128 * 1024 / 2) + 1,
                InstructionCounter.run(m.program(), m.memory(), m.address(), m.length()).executed());
        // strcmp: 3 of set-up, 7 per equal character, 3 at the first difference, 3 to return it
        Workload.Prepared s = Workload.STRCMP.prepare();
        assertEquals(3 + 7 * Workload.STRCMP_DIFFERS_AT + 3 + 3,
                InstructionCounter.run(s.program(), s.memory(), s.address(), s.length()).executed());
    }

    @Test
    void expectedResultsAreTheKnownOnes() {
        assertEquals(1028, expected(Workload.SIEVE), "pi(8192)");
        assertEquals('m' - 'x', expected(Workload.STRCMP));
        assertTrue(expected(Workload.MEMCPY) > 0);
    }

    @Test
    void memcpyCopiesTheFirstHalfToTheSecond() {
        Workload.Prepared p = Workload.MEMCPY.prepare();
        p.run();
        var seg = p.region().segment();
        long half = seg.byteSize() / 2;
        assertEquals(-1, seg.asSlice(0, half).mismatch(seg.asSlice(half, half)));
        assertNotEquals(0, seg.get(ValueLayout.JAVA_LONG_UNALIGNED, half), "the data is not all zero");
    }

    @Test
    void sieveMarksExactlyTheCompositesBelowN() {
        Workload.Prepared p = Workload.SIEVE.prepare();
        p.run();
        var seg = p.region().segment();
        for (int i = 2; i < seg.byteSize(); i++) {
            boolean prime = java.math.BigInteger.valueOf(i).isProbablePrime(50);
            assertEquals(prime ? 0 : 1, seg.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
    }

    @Test
    void strcmpOfEqualStringsIsZero() {
        Workload.Prepared p = Workload.STRCMP.prepare();
        var seg = p.region().segment();
        int half = (int) seg.byteSize() / 2;
        seg.set(ValueLayout.JAVA_BYTE, half + Workload.STRCMP_DIFFERS_AT, (byte) 'm');
        assertEquals(0, p.run());
        seg.set(ValueLayout.JAVA_BYTE, half + Workload.STRCMP_DIFFERS_AT, (byte) 'a');
        assertEquals('m' - 'a', p.run());
        seg.set(ValueLayout.JAVA_BYTE, half + 10, (byte) 0);
        assertEquals(seg.get(ValueLayout.JAVA_BYTE, 10) & 0xff, p.run(), "a shorter second string");
    }

    @Test
    void switchTakesEveryCase() {
        int[] seen = new int[8];
        for (byte b : Workload.SWITCH.input()) {
            seen[b & 7]++;
        }
        for (int c = 0; c < 8; c++) {
            assertTrue(seen[c] > 1000, "case " + c + " taken " + seen[c] + " times");
        }
    }
}
