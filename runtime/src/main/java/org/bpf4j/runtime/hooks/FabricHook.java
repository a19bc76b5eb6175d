package org.bpf4j.runtime.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.bpf4j.core.object.ProgramType;

/**
 * BPFabric: the function gets a pointer to a 14-byte metadata header (in_port, sec, nsec as u32, length as u16,
 * packed, host byte order) followed by the frame, and the total length in r2. The header sits in the packet's
 * headroom, so the frame is where every hook keeps it.
 */
public enum FabricHook implements Hook {
    INSTANCE;

    public static final int HEADER = 14;
    private static final ValueLayout.OfInt U32 = XdpHook.U32;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public ProgramType type() {
        return ProgramType.BPFABRIC;
    }

    @Override
    public int contextSize() {
        return 8;
    }

    @Override
    public long[] enter(PacketBuffer buffer, MemorySegment ctx, PacketMeta meta, long contextAddress, long[] args) {
        MemorySegment seg = buffer.segment();
        int at = buffer.data() - HEADER;
        seg.set(U32, at, meta.inPort());
        seg.set(U32, at + 4, (int) (meta.timestampNanos() / 1_000_000_000L));
        seg.set(U32, at + 8, (int) (meta.timestampNanos() % 1_000_000_000L));
        seg.set(U16, at + 12, (short) buffer.length());
        args[0] = buffer.address(at);
        args[1] = HEADER + buffer.length();
        return args;
    }

    @Override
    public void sync(PacketBuffer buffer, MemorySegment ctx) {}

    @Override
    public Action action(long r0) {
        return FabricAction.of(r0);
    }
}
