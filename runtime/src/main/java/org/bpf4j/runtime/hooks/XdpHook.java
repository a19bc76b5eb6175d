package org.bpf4j.runtime.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.bpf4j.core.object.ProgramType;

/** XDP: {@code struct xdp_md} (data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex). */
public enum XdpHook implements Hook {
    INSTANCE;

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static final int DATA = 0, DATA_END = 4, DATA_META = 8, INGRESS_IFINDEX = 12, RX_QUEUE_INDEX = 16,
            EGRESS_IFINDEX = 20, SIZE = 24;

    @Override
    public ProgramType type() {
        return ProgramType.XDP;
    }

    @Override
    public int contextSize() {
        return SIZE;
    }

    @Override
    public long[] enter(PacketBuffer buffer, MemorySegment ctx, PacketMeta meta, long contextAddress, long[] args) {
        sync(buffer, ctx);
        ctx.set(U32, INGRESS_IFINDEX, meta.ingressIfindex());
        ctx.set(U32, RX_QUEUE_INDEX, meta.rxQueue());
        ctx.set(U32, EGRESS_IFINDEX, 0);
        args[0] = contextAddress;
        args[1] = 0;
        return args;
    }

    @Override
    public void sync(PacketBuffer buffer, MemorySegment ctx) {
        // 32-bit fields hold whole addresses: the packet lives in the low region, below 4 GiB
        ctx.set(U32, DATA, (int) buffer.address(buffer.data()));
        ctx.set(U32, DATA_END, (int) buffer.address(buffer.dataEnd()));
        ctx.set(U32, DATA_META, (int) buffer.address(buffer.dataMeta()));
    }

    @Override
    public Action action(long r0) {
        return XdpAction.of(r0);
    }
}
