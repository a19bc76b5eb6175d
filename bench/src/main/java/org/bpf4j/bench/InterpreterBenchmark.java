package org.bpf4j.bench;

import java.util.concurrent.TimeUnit;
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
 * Time per run of each benchmark program on the interpreter. The program is assembled, validated and handed to
 * the interpreter once per trial; the memory is prepared once (every program either leaves its input unchanged or
 * rewrites the same output each run). Divide by the instructions per run ({@link InstructionCounter}) for the time
 * per eBPF instruction.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar InterpreterBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InterpreterBenchmark {

    @Param({"sieve", "memcpy", "switch", "strcmp"})
    public String program;

    private Workload.Prepared prepared;

    @Setup
    public void setup() {
        prepared = Workload.of(program).prepare();
        prepared.run(); // fail fast on a broken program, before any measurement
    }

    @Benchmark
    public void interpreter(Blackhole bh) {
        bh.consume(prepared.run());
    }
}
