package org.bpf4j.runtime;

import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.jit.JitCompiler;
import org.bpf4j.runtime.memory.Memory;

/**
 * The ways to run a {@link Program}: the reference interpreter, or the JIT compiler that turns the program into
 * JVM bytecode (and HotSpot then into machine code). Both have exactly the same semantics.
 *
 * <pre>{@code
 * Execution e = Engine.JIT.create(program, helpers, memory);
 * }</pre>
 */
public enum Engine {
    /** {@link Interpreter}: no start-up cost, about 3 to 5 ns per instruction. */
    INTERPRETER {
        @Override
        public Execution create(Program program, HelperTable helpers, Memory memory) {
            return new Interpreter(program, helpers, memory);
        }
    },
    /**
     * {@link JitCompiler}: compiles once per program and helper table (cached), then every execution shares the
     * compiled code. A program too large for JVM class files (beyond about 200,000 instructions) runs on the
     * interpreter instead, with the same semantics.
     */
    JIT {
        @Override
        public Execution create(Program program, HelperTable helpers, Memory memory) {
            try {
                return JitCompiler.cached(program, helpers).newExecution(memory);
            } catch (LoadException e) {
                if (JitCompiler.isTooLarge(e)) {
                    return INTERPRETER.create(program, helpers, memory);
                }
                throw e;
            }
        }
    };

    /**
     * A runnable form of the program for one thread, over {@code memory}.
     *
     * @throws LoadException when the program calls a helper the table lacks
     */
    public abstract Execution create(Program program, HelperTable helpers, Memory memory);
}
