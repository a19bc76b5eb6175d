package org.bpf4j.runtime;

import org.bpf4j.runtime.memory.Memory;

/** What a helper sees of the execution that called it. */
public interface HelperContext {
    /** The executing program's address space. */
    Memory memory();

    /** Ends the program as soon as the helper returns, with {@code r0} as its result. */
    void exit(long r0);

    /** The per-thread state the engine was given for helpers (a packet runner's, say), or null. */
    Object attachment();

    /**
     * Calls a function of the running program by its code address (a {@code lddw} of a function), as the
     * callback helpers do; returns its r0.
     */
    long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5);
}
