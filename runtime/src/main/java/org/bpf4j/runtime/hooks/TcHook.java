package org.bpf4j.runtime.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.bpf4j.core.object.ProgramType;

/**
 * TC (cls_bpf in direct-action mode): the fields of {@code struct __sk_buff} that packet programs use, laid out
 * as in {@code bpf.h}. The frame starts at the Ethernet header, as on TC ingress and egress. Like the kernel's
 * test run, VLAN tags stay in the data ({@code vlan_present} is 0) and {@code protocol} is the outer EtherType.
 */
public enum TcHook implements Hook {
    INSTANCE;

    private static final ValueLayout.OfInt U32 = XdpHook.U32;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static final int LEN = 0, PKT_TYPE = 4, MARK = 8, QUEUE_MAPPING = 12, PROTOCOL = 16, VLAN_PRESENT = 20,
            VLAN_TCI = 24, VLAN_PROTO = 28, PRIORITY = 32, INGRESS_IFINDEX = 36, IFINDEX = 40, TC_INDEX = 44,
            CB = 48, HASH = 68, TC_CLASSID = 72, DATA = 76, DATA_END = 80, NAPI_ID = 84, DATA_META = 140,
            TSTAMP = 152, WIRE_LEN = 160, GSO_SEGS = 164, GSO_SIZE = 176, SIZE = 192;

    @Override
    public ProgramType type() {
        return ProgramType.SCHED_CLS;
    }

    @Override
    public int contextSize() {
        return SIZE;
    }

    @Override
    public long[] enter(PacketBuffer buffer, MemorySegment ctx, PacketMeta meta, long contextAddress, long[] args) {
        ctx.fill((byte) 0);
        sync(buffer, ctx);
        int len = buffer.length();
        int protocol = 0;
        if (len >= 14) {
            MemorySegment seg = buffer.segment();
            // protocol is kept in network byte order, as the kernel's skb->protocol
            protocol = (seg.get(ValueLayout.JAVA_BYTE, buffer.data() + 12) & 0xff)
                    | (seg.get(ValueLayout.JAVA_BYTE, buffer.data() + 13) & 0xff) << 8;
        }
        ctx.set(U32, PROTOCOL, protocol);
        ctx.set(U32, INGRESS_IFINDEX, meta.ingressIfindex());
        ctx.set(U32, IFINDEX, meta.ingressIfindex());
        ctx.set(U32, QUEUE_MAPPING, meta.rxQueue());
        ctx.set(U64, TSTAMP, meta.timestampNanos());
        ctx.set(U32, GSO_SEGS, 1);
        args[0] = contextAddress;
        args[1] = 0;
        return args;
    }

    @Override
    public void sync(PacketBuffer buffer, MemorySegment ctx) {
        ctx.set(U32, LEN, buffer.length());
        ctx.set(U32, WIRE_LEN, buffer.length());
        ctx.set(U32, DATA, (int) buffer.address(buffer.data()));
        ctx.set(U32, DATA_END, (int) buffer.address(buffer.dataEnd()));
        ctx.set(U32, DATA_META, (int) buffer.address(buffer.dataMeta()));
    }

    @Override
    public Action action(long r0) {
        return TcAction.of(r0);
    }

    /** The skb mark the program left. */
    public static int mark(MemorySegment ctx) {
        return ctx.get(U32, MARK);
    }

    public static int priority(MemorySegment ctx) {
        return ctx.get(U32, PRIORITY);
    }

    public static int tcClassid(MemorySegment ctx) {
        return ctx.get(U32, TC_CLASSID);
    }
}
