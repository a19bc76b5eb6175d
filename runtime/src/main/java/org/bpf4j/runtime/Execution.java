package org.bpf4j.runtime;

import org.bpf4j.runtime.memory.Memory;

/**
 * A program made runnable on one thread by an {@link Engine}: it owns its registers and call frames and runs over
 * one {@link Memory}. Both engines give the same results, memory effects and faults (kind, instruction index and
 * message) for the same program and input.
 *
 * <p>Not thread-safe: create one per executing thread ({@link Engine#create} is cheap once the program has been
 * compiled).
 *
 * <pre>{@code
 * Execution e = Engine.JIT.create(program, helpers, new Memory());
 * long r0 = e.run(address, length);
 * }</pre>
 */
public interface Execution {
    /** Runs the program from its first instruction with r1 to r5 set; returns r0. */
    long run(long r1, long r2, long r3, long r4, long r5);

    default long run(long r1) {
        return run(r1, 0, 0, 0, 0);
    }

    default long run(long r1, long r2) {
        return run(r1, r2, 0, 0, 0);
    }

    /** Sets what helpers of this thread see as {@link HelperContext#attachment()}. */
    Execution attach(Object state);

    /** The per-thread state given to {@link #attach}, or null. */
    Object attachment();

    /** Sets how many backward jumps plus calls one run may make before it faults. */
    Execution budget(long backwardJumpsAndCalls);

    /** The address space the program runs in. */
    Memory memory();

    Program program();

    /**
     * Register {@code r} (0 to 10) as the last run left it: at its exit, or at the faulting instruction of the frame
     * that faulted.
     */
    long register(int r);
}
