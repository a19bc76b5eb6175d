package org.bpf4j.runtime.jit;

import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.memory.Memory;

/**
 * A program compiled for a helper table: create one {@link JitExecution} per thread from it, cheaply; they share
 * the compiled code.
 *
 * <pre>{@code
 * JitProgram jit = JitCompiler.compile(program, helpers);
 * JitExecution e = jit.newExecution(new Memory());
 * }</pre>
 */
public final class JitProgram {
    private final Program program;
    private final HelperTable helpers;
    private final Compiled compiled;

    JitProgram(Program program, HelperTable helpers, Compiled compiled) {
        this.program = program;
        this.helpers = helpers;
        this.compiled = compiled;
    }

    public Program program() {
        return program;
    }

    Compiled compiled() {
        return compiled;
    }

    /** A new execution of the program over {@code memory}, for one thread. */
    public JitExecution newExecution(Memory memory) {
        return new JitExecution(program, helpers, memory, compiled);
    }
}
