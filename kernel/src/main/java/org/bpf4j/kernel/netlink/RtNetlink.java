package org.bpf4j.kernel.netlink;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.bpf4j.core.api.Errno;

/**
 * What {@code ip link … xdp} and {@code tc qdisc/filter … bpf} do, over rtnetlink: attach, replace, detach and
 * query XDP programs by file descriptor, and run TC programs through a clsact qdisc with a direct-action bpf
 * filter.
 */
public final class RtNetlink {
    private RtNetlink() {}

    static final int RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_SETLINK = 19;
    static final int RTM_NEWQDISC = 36, RTM_DELQDISC = 37, RTM_NEWTFILTER = 44, RTM_DELTFILTER = 45,
            RTM_GETTFILTER = 46;
    static final int IFLA_XDP = 43, IFLA_XDP_FD = 1, IFLA_XDP_ATTACHED = 2, IFLA_XDP_FLAGS = 3, IFLA_XDP_PROG_ID = 4,
            IFLA_XDP_EXPECTED_FD = 8;
    static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1, XDP_FLAGS_REPLACE = 16;
    static final int TCA_KIND = 1, TCA_OPTIONS = 2, TCA_BPF_FD = 6, TCA_BPF_NAME = 7, TCA_BPF_FLAGS = 8,
            TCA_BPF_FLAG_ACT_DIRECT = 1;
    static final int TC_H_CLSACT = 0xffff_fff1, TC_H_MIN_INGRESS = 0xfff2, TC_H_MIN_EGRESS = 0xfff3;
    static final int ETH_P_ALL = 0x0003;

    /** What is attached to an interface's XDP hook. */
    public record XdpAttachment(XdpMode mode, int programId) {}

    private static byte[] ifinfomsg(int ifindex) {
        // family, pad, type, index, flags, change
        return Message.le(16).put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(0).putInt(0).array();
    }

    private static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return Message.le(20).put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(handle)
                .putInt(parent).putInt(info).array();
    }

    /**
     * Attaches an XDP program by fd, as {@code ip link set dev X xdp…}. Without {@code replace}, fails with EBUSY
     * when a program is attached already; with {@code expectedFd} >= 0, replaces only that program.
     */
    public static void attachXdp(NetlinkSocket nl, int ifindex, int progFd, XdpMode mode, boolean replace,
            int expectedFd) {
        int flags = mode.flag() | (replace ? 0 : XDP_FLAGS_UPDATE_IF_NOEXIST) | (expectedFd >= 0 ? XDP_FLAGS_REPLACE : 0);
        Message m = new Message(RTM_SETLINK, 0).bytes(ifinfomsg(ifindex)).nest(IFLA_XDP).u32(IFLA_XDP_FD, progFd)
                .u32(IFLA_XDP_FLAGS, flags);
        if (expectedFd >= 0) {
            m.u32(IFLA_XDP_EXPECTED_FD, expectedFd);
        }
        nl.request("attach XDP (" + mode.name().toLowerCase() + ") to ifindex " + ifindex, m.end(), false);
    }

    /** Detaches whatever XDP program runs in a mode; nothing happens when none is attached. */
    public static void detachXdp(NetlinkSocket nl, int ifindex, XdpMode mode) {
        Message m = new Message(RTM_SETLINK, 0).bytes(ifinfomsg(ifindex)).nest(IFLA_XDP).u32(IFLA_XDP_FD, -1)
                .u32(IFLA_XDP_FLAGS, mode.flag()).end();
        nl.request("detach XDP from ifindex " + ifindex, m, false);
    }

    /** The XDP program attached to an interface, if any. */
    public static Optional<XdpAttachment> queryXdp(NetlinkSocket nl, int ifindex) {
        List<ByteBuffer> replies = nl.request("query ifindex " + ifindex,
                new Message(RTM_GETLINK, 0).bytes(ifinfomsg(ifindex)), false);
        for (ByteBuffer r : replies) {
            ByteBuffer xdp = Attributes.find(r, 16, IFLA_XDP);
            if (xdp == null) {
                continue;
            }
            ByteBuffer attached = Attributes.find(xdp, 0, IFLA_XDP_ATTACHED);
            ByteBuffer id = Attributes.find(xdp, 0, IFLA_XDP_PROG_ID);
            XdpMode mode = attached == null ? null : XdpMode.ofAttached(attached.get(0) & 0xff);
            if (mode != null && id != null) {
                return Optional.of(new XdpAttachment(mode, id.getInt(0)));
            }
        }
        return Optional.empty();
    }

    /** Adds the clsact qdisc, as {@code tc qdisc add dev X clsact}; an existing one is kept. */
    public static void addClsact(NetlinkSocket nl, int ifindex) {
        Message m = new Message(RTM_NEWQDISC, NetlinkSocket.NLM_F_CREATE | NetlinkSocket.NLM_F_EXCL)
                .bytes(tcmsg(ifindex, 0xffff_0000, TC_H_CLSACT, 0)).string(TCA_KIND, "clsact");
        try {
            nl.request("add clsact qdisc to ifindex " + ifindex, m, false);
        } catch (NetlinkException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
    }

    /** Removes the clsact qdisc and every filter on it. */
    public static void deleteClsact(NetlinkSocket nl, int ifindex) {
        nl.request("delete clsact qdisc of ifindex " + ifindex,
                new Message(RTM_DELQDISC, 0).bytes(tcmsg(ifindex, 0xffff_0000, TC_H_CLSACT, 0)), false);
    }

    /**
     * Adds a direct-action bpf filter, as {@code tc filter add dev X ingress|egress prio P handle H bpf da fd F}.
     */
    public static void addBpfFilter(NetlinkSocket nl, int ifindex, boolean ingress, int progFd, String name,
            int priority, int handle) {
        int parent = TC_H_CLSACT & 0xffff_0000 | (ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
        int info = priority << 16 | Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL));
        Message m = new Message(RTM_NEWTFILTER, NetlinkSocket.NLM_F_CREATE | NetlinkSocket.NLM_F_EXCL)
                .bytes(tcmsg(ifindex, handle, parent, info)).string(TCA_KIND, "bpf").nest(TCA_OPTIONS)
                .u32(TCA_BPF_FD, progFd).string(TCA_BPF_NAME, name).u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT).end();
        nl.request("add bpf filter to ifindex " + ifindex + (ingress ? " ingress" : " egress"), m, false);
    }

    /** Deletes a bpf filter added by {@link #addBpfFilter}. */
    public static void deleteBpfFilter(NetlinkSocket nl, int ifindex, boolean ingress, int priority, int handle) {
        int parent = TC_H_CLSACT & 0xffff_0000 | (ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
        int info = priority << 16 | Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL));
        Message m = new Message(RTM_DELTFILTER, 0).bytes(tcmsg(ifindex, handle, parent, info)).string(TCA_KIND, "bpf");
        nl.request("delete bpf filter of ifindex " + ifindex, m, false);
    }
}
