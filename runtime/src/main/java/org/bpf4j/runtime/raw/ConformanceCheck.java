package org.bpf4j.runtime.raw;

import org.bpf4j.core.asm.Assembler;
import org.bpf4j.core.asm.AssemblyException;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.conformance.ConformanceTest;
import org.bpf4j.core.isa.Slot;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;

/**
 * Judges one conformance test on an engine (the interpreter unless told) as the suite's runner would, but comparing
 * all 64 bits of r0.
 *
 * <pre>{@code
 * ConformanceCheck.Outcome o = ConformanceCheck.check(ConformanceTest.read(Path.of("tests/add.data")));
 * }</pre>
 */
public final class ConformanceCheck {
    private ConformanceCheck() {}

    /** Where a test stopped. */
    public enum Stage { NO_PROGRAM, ASSEMBLY, LOAD, RUN, RESULT }

    /**
     * @param passed  true when the program's result or error is the one expected
     * @param stage   the stage that decided it
     * @param detail  the error, or what was returned against what was expected
     */
    public record Outcome(String name, boolean passed, Stage stage, String detail) {}

    public static Outcome check(ConformanceTest t) {
        return check(t, Engine.INTERPRETER);
    }

    public static Outcome check(ConformanceTest t, Engine engine) {
        long[] slots;
        if (t.raw().isPresent()) {
            try {
                slots = Slot.fromBytes(t.raw().get());
            } catch (IllegalArgumentException e) {
                return error(t, Stage.LOAD, e.getMessage());
            }
        } else if (t.asm().isPresent()) {
            try {
                slots = Assembler.assembleToSlots(t.asm().get(), Syntax.CONFORMANCE);
            } catch (AssemblyException e) {
                return error(t, Stage.ASSEMBLY, e.getMessage());
            }
        } else {
            return new Outcome(t.name(), false, Stage.NO_PROGRAM, "test has no program (no asm or raw section)");
        }
        long r0;
        try {
            r0 = new RawRunner(Program.of(slots), engine).run(t.memory());
        } catch (LoadException e) {
            return error(t, Stage.LOAD, e.getMessage());
        } catch (BpfFault e) {
            return error(t, Stage.RUN, e.getMessage());
        }
        if (t.result().isEmpty()) {
            return new Outcome(t.name(), false, Stage.RESULT, "returned 0x" + Long.toHexString(r0)
                    + t.error().map(e -> " but expected the error '" + e + "'").orElse(" but expected no result"));
        }
        long expected = t.result().get();
        return new Outcome(t.name(), r0 == expected, Stage.RESULT,
                "returned 0x" + Long.toHexString(r0) + ", expected 0x" + Long.toHexString(expected));
    }

    private static Outcome error(ConformanceTest t, Stage stage, String message) {
        boolean passed = t.error().isPresent() && t.error().get().equals(message);
        return new Outcome(t.name(), passed, stage, message);
    }
}
