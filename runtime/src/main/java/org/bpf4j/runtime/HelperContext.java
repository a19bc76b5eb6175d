package org.bpf4j.runtime;

import org.bpf4j.runtime.memory.Memory;

/** What a helper sees of the execution that called it. */
public interface HelperContext {
    /** The executing program's address space. */
    Memory memory();

    /** Ends the program as soon as the helper returns, with {@code r0} as its result. */
    void exit(long r0);
}
