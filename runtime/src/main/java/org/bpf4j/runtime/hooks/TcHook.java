package org.bpf4j.runtime.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.bpf4j.core.object.ProgramType;

/**
 * TC (cls_bpf in direct-action mode): the fields of {@code struct __sk_buff} that packet programs use, laid out
 * as in {@code bpf.h}. The frame starts at the Ethernet header, as on TC ingress and egress. Like the kernel's
 * test run, VLAN tags stay in the data ({@code vlan_present} is 0) and {@code protocol} is the outer EtherType;
 * {@code pkt_type} and {@code protocol} are what eth_type_trans makes of the Ethernet header, {@code gso_segs} is
 * 0. Unlike the test run (which sets neither), {@code ingress_ifindex} is the interface the packet came in on and
 * {@code wire_len} its length, as at a real ingress.
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
        if (buffer.length() >= 14) {
            MemorySegment seg = buffer.segment();
            int at = buffer.data();
            ctx.set(U32, PROTOCOL, Short.toUnsignedInt(Short.reverseBytes(protocol(seg, at, buffer.length()))));
            ctx.set(U32, PKT_TYPE, packetType(seg, at));
        }
        ctx.set(U32, INGRESS_IFINDEX, meta.ingressIfindex());
        ctx.set(U32, IFINDEX, meta.ingressIfindex());
        ctx.set(U32, QUEUE_MAPPING, meta.rxQueue());
        ctx.set(U64, TSTAMP, meta.timestampNanos());
        // gso_segs stays 0: a frame as received is no GSO packet (skb_shinfo(skb)->gso_segs, as the test run has it)
        args[0] = contextAddress;
        args[1] = 0;
        return args;
    }

    /** PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST (include/uapi/linux/if_packet.h). */
    public static final int PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3;
    /** ETH_P_802_3, ETH_P_802_2: what eth_type_trans makes of a frame whose type field is a length. */
    static final short ETH_P_802_3 = 0x0001, ETH_P_802_2 = 0x0004;

    private static int u16(MemorySegment seg, long at) {
        return (seg.get(ValueLayout.JAVA_BYTE, at) & 0xff) << 8 | seg.get(ValueLayout.JAVA_BYTE, at + 1) & 0xff;
    }

    /**
     * skb->protocol as eth_type_trans (net/ethernet/eth.c) sets it, in host order here: the EtherType (the outer
     * one: VLAN tags stay in the data); for an 802.3 frame (a length below 0x600), ETH_P_802_3 when the payload
     * starts with 0xffff (raw IPX), else ETH_P_802_2.
     */
    static short protocol(MemorySegment seg, int at, int length) {
        int type = u16(seg, at + 12);
        if (type >= 0x600) {
            return (short) type;
        }
        return length >= 16 && u16(seg, at + 14) == 0xffff ? ETH_P_802_3 : ETH_P_802_2;
    }

    /**
     * skb->pkt_type as eth_type_trans sets it, for the device the kernel's test run receives on, lo, whose address
     * and broadcast address are both all zeros: that destination is PACKET_HOST, other group addresses
     * PACKET_MULTICAST (ff:ff:ff:ff:ff:ff too, as lo's broadcast address is not it), the rest PACKET_OTHERHOST.
     */
    static int packetType(MemorySegment seg, int at) {
        boolean zero = true;
        for (int i = 0; i < 6; i++) {
            zero &= seg.get(ValueLayout.JAVA_BYTE, at + i) == 0;
        }
        if (zero) {
            return PACKET_HOST;
        }
        return (seg.get(ValueLayout.JAVA_BYTE, at) & 1) != 0 ? PACKET_MULTICAST : PACKET_OTHERHOST;
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
