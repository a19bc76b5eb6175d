package org.bpf4j.runtime.packet;

import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.hooks.Hook;

/**
 * A program of a {@link LoadedObject}, linked against the object's maps and ready to run.
 *
 * @param index   its index in the object (what a program array stores)
 * @param spec    the program as the object declared it
 * @param type    the type it runs as
 * @param program the linked, validated code
 * @param helpers the helpers its type provides
 * @param hook    the context and actions of its type
 */
public record LoadedProgram(int index, ProgramSpec spec, ProgramType type, Program program, HelperTable helpers,
        Hook hook) {
    public String name() {
        return spec.name();
    }
}
