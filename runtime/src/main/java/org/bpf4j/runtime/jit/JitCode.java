package org.bpf4j.runtime.jit;

import org.bpf4j.runtime.memory.Memory;

/**
 * What a compiled class implements: a call of one of its functions by entry instruction, in a frame at
 * {@code depth}, with the caller's r0 to r9 (r10 is the frame's). Returns r0; the function's registers at its exit
 * are then in {@link JitExecution#regs}.
 */
interface JitCode {
    long call(int entry, JitExecution x, Memory m, int depth, long r0, long r1, long r2, long r3, long r4, long r5,
            long r6, long r7, long r8, long r9);
}
