package org.bpf4j.runtime.hooks;

import java.lang.foreign.MemorySegment;
import org.bpf4j.core.object.ProgramType;

/**
 * A program type's view of a packet: the context layout it builds, how its fields follow the packet as helpers
 * move its bounds, and how r0 becomes an {@link Action}.
 */
public sealed interface Hook permits XdpHook, TcHook, FabricHook {
    ProgramType type();

    /** Size of the context region. */
    int contextSize();

    /**
     * Fills the context for the packet just loaded into the buffer and returns the program's r1 and r2
     * (r2 is 0 except for BPFabric, which passes the length).
     */
    long[] enter(PacketBuffer buffer, MemorySegment context, PacketMeta meta, long contextAddress, long[] args);

    /** Rewrites the context fields that mirror the packet's bounds, after a helper moved them. */
    void sync(PacketBuffer buffer, MemorySegment context);

    Action action(long r0);

    /** The hook for a program type. */
    static Hook of(ProgramType type) {
        return switch (type) {
            case XDP -> XdpHook.INSTANCE;
            case SCHED_CLS, SCHED_ACT -> TcHook.INSTANCE;
            case BPFABRIC -> FabricHook.INSTANCE;
            default -> throw new IllegalArgumentException("bpf4j cannot run " + type + " programs on packets "
                    + "(xdp, tc and bpfabric only)");
        };
    }
}
