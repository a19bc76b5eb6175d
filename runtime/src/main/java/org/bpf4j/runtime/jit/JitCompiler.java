package org.bpf4j.runtime.jit;

import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;
import org.bpf4j.runtime.Helper;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;

/**
 * Compiles a {@link Program} into JVM bytecode: one hidden class per program and helper table, in which registers
 * are {@code long} locals, each function (the entry, every local call target, every function whose address the
 * program loads) is its own method, and every memory access is a call to {@link org.bpf4j.runtime.memory.Memory}'s
 * checked accessors, which HotSpot inlines. A function too large for HotSpot to compile as one method (8000 bytes
 * of bytecode) is split into regions that hand the registers over through the execution's register array.
 *
 * <p>The semantics are exactly the interpreter's, faults included (kind, instruction index, disassembled
 * instruction, address): see {@link JitExecution}.
 *
 * <pre>{@code
 * JitExecution e = JitCompiler.cached(program, helpers).newExecution(new Memory());
 * long r0 = e.run(0, 0);
 * }</pre>
 */
public final class JitCompiler {
    private JitCompiler() {}

    /** Estimated bytecode bytes above which a function is split, and the most one region holds. */
    static final int DEFAULT_REGION_LIMIT = 7000;

    private static final Map<Program, Map<HelperTable, Compiled>> CACHE = new WeakHashMap<>();

    /**
     * Compiles afresh (no cache).
     *
     * @throws LoadException when the program calls a helper the table lacks
     */
    public static JitProgram compile(Program program, HelperTable helpers) {
        return new JitProgram(program, helpers, compile(program, helpers.toArray(), DEFAULT_REGION_LIMIT));
    }

    /**
     * The compiled program for this program and helper table, compiled on first use. Registering helpers in the
     * table afterwards makes the next call compile again.
     *
     * @throws LoadException when the program calls a helper the table lacks
     */
    public static JitProgram cached(Program program, HelperTable helpers) {
        Helper[] snapshot = helpers.toArray();
        Compiled c;
        synchronized (CACHE) {
            c = CACHE.computeIfAbsent(program, p -> new WeakHashMap<>()).get(helpers);
        }
        if (c == null || !Arrays.equals(c.helpers, snapshot)) {
            c = compile(program, snapshot, DEFAULT_REGION_LIMIT);
            synchronized (CACHE) {
                CACHE.computeIfAbsent(program, p -> new WeakHashMap<>()).put(helpers, c);
            }
        }
        return new JitProgram(program, helpers, c);
    }

    /** Compiles with a chosen region limit (tests use small ones to split every function). */
    static Compiled compile(Program program, Helper[] helpers, int regionLimit) {
        return compile(program, helpers, regionLimit, false);
    }

    /**
     * Compiles with a chosen region limit, and with {@code forceLarge} the code for large programs (constants kept
     * out of the constant pool) whatever the size, for tests.
     */
    static Compiled compile(Program program, Helper[] helpers, int regionLimit, boolean forceLarge) {
        long[] slots = program.slots();
        for (int at = 0; at < slots.length; at = Codegen.next(slots, at)) {
            long s = slots[at];
            int imm = (int) (s >>> 32);
            if ((s & 0xff) == 0x85 && ((s >>> 12) & 0xf) == 0 && (imm < 0 || imm >= helpers.length || helpers[imm] == null)) {
                throw new LoadException(at, "call to unknown helper #" + imm);
            }
        }
        Codegen.Result r;
        try {
            r = Codegen.define(slots, helpers, null, regionLimit, forceLarge);
        } catch (IllegalArgumentException e) {
            // a limit of the class file (64 KiB per method, 65,535 constants): beyond about 200,000 instructions
            throw new LoadException("program of " + slots.length + " instructions is too large for the JIT compiler ("
                    + e.getMessage() + "); run it on the interpreter", new TooLarge(e));
        }
        return new Compiled(slots, helpers, r.code(), r.entries(), regionLimit, forceLarge);
    }

    /** Whether a refusal of {@link #compile} or {@link #cached} says that the program is too large to compile. */
    public static boolean isTooLarge(LoadException e) {
        return e.getCause() instanceof TooLarge;
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The class file the compiler generates for a program (for tests and inspection). */
    static byte[] classFile(Program program, HelperTable helpers, int regionLimit) {
        return Codegen.generate(program.slots(), helpers.toArray(), null, regionLimit, false).bytes();
    }
}
