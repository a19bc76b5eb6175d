package org.bpf4j.core.object;

import java.util.List;
import java.util.Objects;

/**
 * A program as an object declares it, linked and relocated but not yet loaded into a backend.
 *
 * <p>The code holds the program's function followed by every {@code .text} subprogram it calls (directly or
 * through a function pointer), with calls relative as encoded. References to maps are already rewritten to the
 * index forms: {@code lddw} with pseudo source {@code MAP_IDX} (5) and imm = index into
 * {@link BpfObject#maps()}, or {@code MAP_IDX_VALUE} (6) with imm = index and the next slot's imm = offset into
 * the value (global data). A backend replaces those with its own addresses or file descriptors.
 *
 * @param name      the function symbol's name
 * @param section   the ELF section it came from, e.g. {@code xdp} or {@code tc/ingress}
 * @param type      its program type (from the section name, or chosen by the caller)
 * @param code      raw instruction slots
 * @param license   the object's license string
 * @param functions function boundaries in {@code code}
 * @param lines     source line info, sorted by instruction
 */
public record ProgramSpec(String name, String section, ProgramType type, long[] code, String license,
        List<FunctionInfo> functions, List<SourceLine> lines) {

    public ProgramSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(section);
        Objects.requireNonNull(code);
        license = license == null ? "" : license;
        functions = List.copyOf(functions);
        lines = List.copyOf(lines);
    }

    /** The same program run as another type (e.g. a {@code .text} function run as BPFabric). */
    public ProgramSpec withType(ProgramType newType) {
        return new ProgramSpec(name, section, newType, code, license, functions, lines);
    }

    /** The source line an instruction belongs to (the last line info at or before it), or null. */
    public SourceLine lineOf(int instruction) {
        SourceLine found = null;
        for (SourceLine l : lines) {
            if (l.instruction() > instruction) {
                break;
            }
            found = l;
        }
        return found;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramSpec p && name.equals(p.name) && section.equals(p.section) && type == p.type
                && java.util.Arrays.equals(code, p.code) && license.equals(p.license)
                && functions.equals(p.functions) && lines.equals(p.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, section, type, java.util.Arrays.hashCode(code));
    }

    @Override
    public String toString() {
        return "ProgramSpec[" + name + " in " + section + ", " + type + ", " + code.length + " instructions]";
    }
}
