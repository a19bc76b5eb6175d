package org.bpf4j.core.object;

import java.util.List;
import java.util.Optional;

/**
 * What a relocatable BPF object ({@code clang -O2 -g -target bpf}) holds: its programs, its maps (global data
 * included) and its BTF. Backend-neutral: the same object loads into user space or the kernel.
 *
 * @param name     where it came from (a file name)
 * @param programs every program, in section order
 * @param maps     every map; {@link ProgramSpec} code refers to them by index in this list
 * @param license  the {@code license} section's string, empty when absent
 * @param btf      the raw {@code .BTF} section (with relocations applied as the kernel wants it), if present
 */
public record BpfObject(String name, List<ProgramSpec> programs, List<MapSpec> maps, String license,
        Optional<byte[]> btf) {

    public BpfObject {
        programs = List.copyOf(programs);
        maps = List.copyOf(maps);
    }

    /** The program with this function name, or section name when no function has it. */
    public Optional<ProgramSpec> program(String nameOrSection) {
        return programs.stream().filter(p -> p.name().equals(nameOrSection)).findFirst()
                .or(() -> programs.stream().filter(p -> p.section().equals(nameOrSection)).findFirst());
    }

    public Optional<MapSpec> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Index of a map in {@link #maps()}, or -1. */
    public int mapIndex(String name) {
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
