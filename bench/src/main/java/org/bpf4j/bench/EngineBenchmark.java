package org.bpf4j.bench;

import java.util.concurrent.TimeUnit;
import org.bpf4j.runtime.Engine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time per run of each benchmark program on both engines, side by side in one JMH run. The program is assembled,
 * validated and handed to each engine (the JIT compiles it) once per trial, each engine with its own copy of the
 * memory, prepared once (every program either leaves its input unchanged or rewrites the same output each run).
 * Divide by the instructions per run ({@link InstructionCounter}) for the time per eBPF instruction.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar EngineBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBenchmark {

    @Param({"sieve", "memcpy", "switch", "strcmp"})
    public String program;

    private Workload.Prepared interpreter;
    private Workload.Prepared jit;

    @Setup
    public void setup() {
        interpreter = Workload.of(program).prepare(Engine.INTERPRETER);
        jit = Workload.of(program).prepare(Engine.JIT);
        // fail fast on a broken program or a disagreement, before any measurement
        long want = interpreter.run();
        if (jit.run() != want) {
            throw new IllegalStateException(program + ": the JIT returned another r0 than the interpreter");
        }
    }

    @Benchmark
    public void interpreter(Blackhole bh) {
        bh.consume(interpreter.run());
    }

    @Benchmark
    public void jit(Blackhole bh) {
        bh.consume(jit.run());
    }
}
