package org.bpf4j.runtime.raw;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * Runs a bare program the way the conformance suite and other eBPF runtimes do: r1 points to a writable copy of
 * the input memory (0 when there is none), r2 holds its length, and helper 5 ("unwind") returns r1, ending the
 * program when that is 0.
 *
 * <p>Runs on the interpreter unless given an {@link Engine}.
 *
 * <pre>{@code
 * long r0 = new RawRunner(Program.of(slots)).run(new byte[] {1, 2, 3});
 * long same = new RawRunner(Program.of(slots), Engine.JIT).run(new byte[] {1, 2, 3});
 * }</pre>
 */
public final class RawRunner {
    /** The helper number the conformance suite calls to unwind. */
    public static final int UNWIND = 5;

    private final Execution execution;
    private final Memory memory;
    private byte[] lastMemory = new byte[0];
    private Region input;

    public RawRunner(Program program) {
        this(program, conformanceHelpers(), Engine.INTERPRETER);
    }

    public RawRunner(Program program, Engine engine) {
        this(program, conformanceHelpers(), engine);
    }

    public RawRunner(Program program, HelperTable helpers) {
        this(program, helpers, Engine.INTERPRETER);
    }

    public RawRunner(Program program, HelperTable helpers, Engine engine) {
        this.memory = new Memory();
        this.execution = engine.create(program, helpers, memory);
    }

    /** The helpers the conformance suite expects: only 5, unwind. */
    public static HelperTable conformanceHelpers() {
        return new HelperTable().register(UNWIND, "unwind", (ctx, r1, r2, r3, r4, r5) -> {
            if (r1 == 0) {
                ctx.exit(0);
            }
            return r1;
        });
    }

    /** The execution the program runs on (set its budget there). */
    public Execution execution() {
        return execution;
    }

    /**
     * The interpreter, for a runner on {@link Engine#INTERPRETER} (prefer {@link #execution()}, which every engine
     * has).
     *
     * @throws IllegalStateException when the runner uses another engine
     */
    public Interpreter interpreter() {
        if (execution instanceof Interpreter i) {
            return i;
        }
        throw new IllegalStateException("this runner uses " + execution.getClass().getSimpleName() + ", not the interpreter");
    }

    /** Copies the input into the program's memory (once per distinct array) and runs; returns r0. */
    public long run(byte[] input) {
        if (input != lastMemory || this.input == null) {
            prepare(input);
        } else {
            MemorySegment.copy(input, 0, this.input.segment(), ValueLayout.JAVA_BYTE, 0, input.length);
        }
        return input.length == 0 ? execution.run(0, 0) : execution.run(this.input.start(), input.length);
    }

    private void prepare(byte[] input) {
        MemorySegment seg = Memory.allocate(input.length);
        MemorySegment.copy(input, 0, seg, ValueLayout.JAVA_BYTE, 0, input.length);
        this.input = memory.mapLow("input memory", seg, true);
        this.lastMemory = input;
    }

    /** The input memory as the last run left it. */
    public byte[] memoryAfterRun() {
        return input == null ? new byte[0] : input.segment().toArray(ValueLayout.JAVA_BYTE);
    }
}
