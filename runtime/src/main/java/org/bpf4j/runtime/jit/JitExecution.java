package org.bpf4j.runtime.jit;

import java.util.Arrays;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.Helper;
import org.bpf4j.runtime.HelperContext;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.memory.Memory;

/**
 * A JIT-compiled program made runnable on one thread: the per-thread state (memory, budget, attachment, the
 * registers of the last run) around code that all executions of the program share. A run allocates nothing.
 *
 * <p>Not thread-safe: one per executing thread. Create it with {@link org.bpf4j.runtime.Engine#JIT} or
 * {@link JitProgram#newExecution}.
 */
public final class JitExecution implements Execution, HelperContext {
    private final Program program;
    private final HelperTable helperTable;
    private final Compiled compiled;
    private final JitCode main;
    private final Memory memory;
    private final Helper[] helpers;
    private long budget = org.bpf4j.runtime.interp.Interpreter.DEFAULT_BUDGET;
    private Object attachment;

    // ---- state the generated code reads and writes (package-private fields: the hidden class is a package member)

    /** Registers: at a function's exit, its registers; between the regions of a split function, the hand-over. */
    final long[] regs = new long[11];
    /** Budget left to the running frame's execution; synchronised with the methods' locals around local calls. */
    long left;
    /** Set when a frame ended the whole execution (LD_ABS out of bounds, a helper's exit): callers return at once. */
    boolean unwind;
    /** Set once the registers of the innermost frame that saw the current fault are in {@link #regs}. */
    boolean dumped;
    boolean exitRequested;
    long exitValue;
    int depthAtCall;
    // Registers of the frames interrupted while a helper runs a callback (bpf_loop, for_each_map_elem).
    private final long[] callbackSaved = new long[Memory.MAX_FRAMES * 11];

    JitExecution(Program program, HelperTable helperTable, Memory memory, Compiled compiled) {
        this.program = program;
        this.helperTable = helperTable;
        this.compiled = compiled;
        this.main = compiled.main;
        this.helpers = compiled.helpers;
        this.memory = memory;
    }

    @Override
    public long run(long r1, long r2, long r3, long r4, long r5) {
        Arrays.fill(regs, 0);
        exitRequested = false;
        unwind = false;
        dumped = false;
        left = budget;
        return main.call(0, this, memory, 0, 0, r1, r2, r3, r4, r5, 0, 0, 0, 0);
    }

    @Override
    public JitExecution attach(Object state) {
        this.attachment = state;
        return this;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public JitExecution budget(long backwardJumpsAndCalls) {
        this.budget = backwardJumpsAndCalls;
        return this;
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public Program program() {
        return program;
    }

    HelperTable helperTable() {
        return helperTable;
    }

    @Override
    public long register(int r) {
        return regs[r];
    }

    @Override
    public void exit(long r0) {
        exitRequested = true;
        exitValue = r0;
    }

    /**
     * Runs the function at a code address ({@code CODE_REGION << 32 | index * 8}) as a call from the helper that
     * is executing, in the next stack frame, with a budget of its own; returns its r0. It sees the caller's r0 and
     * r6 to r9, as in the interpreter.
     */
    @Override
    public long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5) {
        int to = (int) (codeAddress & JitRuntime.MASK32) >>> 3;
        if (codeAddress >>> 32 != Memory.CODE_REGION || (codeAddress & 7) != 0 || to >= program.length()
                || program.at(to) == null) {
            throw new BpfFault(BpfFault.Kind.JUMP_OUT, "callback 0x" + Long.toHexString(codeAddress)
                    + " is no instruction of the program", codeAddress);
        }
        int depth = depthAtCall;
        if (depth + 1 >= Memory.MAX_FRAMES) {
            throw JitRuntime.tooDeep();
        }
        long[] r = regs;
        System.arraycopy(r, 0, callbackSaved, depth * 11, 11);
        long savedLeft = left;
        boolean savedUnwind = unwind;
        left = budget;
        unwind = false;
        try {
            return compiled.code(to).call(to, this, memory, depth + 1, r[0], r1, r2, r3, r4, r5, r[6], r[7], r[8], r[9]);
        } catch (RuntimeException | Error e) {
            dumped = false; // the frame that called the helper records its registers
            throw e;
        } finally {
            System.arraycopy(callbackSaved, depth * 11, r, 0, 11);
            left = savedLeft;
            unwind = savedUnwind;
            depthAtCall = depth;
        }
    }

    /** {@code callx} to a code address: checks it and the depth, then calls the function there. */
    long callAddress(long target, int depth, long r0, long r1, long r2, long r3, long r4, long r5, long r6, long r7,
            long r8, long r9) {
        int to = (int) (target & JitRuntime.MASK32) >>> 3;
        if ((target & 7) != 0 || to >= program.length() || program.at(to) == null) {
            throw new BpfFault(BpfFault.Kind.JUMP_OUT, "callx to 0x" + Long.toHexString(target)
                    + ", which is no instruction of the program", target);
        }
        if (depth + 1 >= Memory.MAX_FRAMES) {
            throw JitRuntime.tooDeep();
        }
        return compiled.code(to).call(to, this, memory, depth + 1, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9);
    }

    /** {@code callx} of a helper number. */
    long callHelper(long id, long r1, long r2, long r3, long r4, long r5) {
        Helper h = id >= 0 && id < helpers.length ? helpers[(int) id] : null;
        if (h == null) {
            throw new BpfFault(BpfFault.Kind.UNKNOWN_HELPER, "call to unknown helper #" + id, BpfFault.NONE);
        }
        try {
            return h.call(this, r1, r2, r3, r4, r5);
        } catch (BpfFault f) {
            throw f;
        } catch (RuntimeException | StackOverflowError e) {
            throw BpfFault.helperFailed(helperTable.name(id) + " (#" + id + ")", e);
        }
    }
}
