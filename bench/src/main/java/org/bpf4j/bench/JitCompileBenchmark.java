package org.bpf4j.bench;

import java.util.concurrent.TimeUnit;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.jit.JitCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time to JIT-compile a program of about 1,000 instructions ({@link CompileWorkload}): bytecode generation, the
 * definition of the hidden class and its instantiation. Not the time HotSpot then takes to compile the bytecode to
 * machine code, which happens in the background while the program runs.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar JitCompileBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JitCompileBenchmark {
    private Program program;
    private HelperTable helpers;

    @Setup
    public void setup() {
        program = CompileWorkload.program();
        helpers = CompileWorkload.helpers();
    }

    @Benchmark
    public Object compile() {
        return JitCompiler.compile(program, helpers);
    }
}
