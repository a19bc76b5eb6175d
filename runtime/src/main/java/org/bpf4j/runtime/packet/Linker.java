package org.bpf4j.runtime.packet;

import java.util.List;
import org.bpf4j.core.isa.Opcodes;
import org.bpf4j.core.isa.Slot;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.maps.ArrayMap;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.memory.Memory;

/**
 * Resolves a program's references for the user-space backend: {@code lddw} of a map by index becomes the map's
 * handle, of a map value by index the value's address, of a function its code address.
 */
final class Linker {
    private Linker() {}

    static long[] link(ProgramSpec spec, List<BpfMap> maps) {
        long[] code = spec.code().clone();
        for (int i = 0; i < code.length; i++) {
            long s = code[i];
            if (Slot.opcode(s) != Opcodes.LDDW) {
                continue;
            }
            if (i + 1 >= code.length) {
                throw new LoadException(i, "lddw needs a second slot, but the program ends");
            }
            int src = Slot.src(s);
            int imm = Slot.imm(s);
            long value;
            switch (src) {
                case 0 -> {
                    i++;
                    continue;
                }
                case Opcodes.PSEUDO_MAP_IDX -> value = map(maps, imm, i, spec).handle();
                case Opcodes.PSEUDO_MAP_IDX_VALUE -> {
                    BpfMap m = map(maps, imm, i, spec);
                    long offset = Slot.imm(code[i + 1]) & 0xffff_ffffL;
                    if (!(m instanceof ArrayMap a) || m.isPerCpu()) {
                        throw new LoadException(i, "lddw of a value of map " + m.name()
                                + ": only (non-per-CPU) array maps have values at fixed addresses");
                    }
                    if (offset >= m.valueSize()) {
                        throw new LoadException(i, "offset " + offset + " is outside the value of map " + m.name()
                                + " (" + m.valueSize() + " bytes)");
                    }
                    value = a.address(0, 0) + offset;
                }
                case Opcodes.PSEUDO_FUNC -> {
                    long target = i + 1L + imm;
                    if (target < 0 || target >= code.length) {
                        throw new LoadException(i, "function reference to " + target + " is outside the program");
                    }
                    value = (long) Memory.CODE_REGION << 32 | target * 8;
                }
                default -> throw new LoadException(i, "lddw with pseudo source " + src
                        + " (map by fd, BTF id) cannot be resolved in user space; load the program from an object");
            }
            code[i] = Slot.of(Opcodes.LDDW, Slot.dst(s), 0, 0, (int) value);
            code[i + 1] = Slot.of(0, 0, 0, 0, (int) (value >>> 32));
            i++;
        }
        return code;
    }

    private static BpfMap map(List<BpfMap> maps, int index, int at, ProgramSpec spec) {
        if (index < 0 || index >= maps.size()) {
            throw new LoadException(at, "program " + spec.name() + " refers to map #" + index + ", but the object has "
                    + maps.size() + " maps");
        }
        return maps.get(index);
    }
}
