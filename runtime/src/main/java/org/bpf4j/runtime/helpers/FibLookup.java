package org.bpf4j.runtime.helpers;

import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.HelperContext;
import org.bpf4j.runtime.hooks.TcHook;
import org.bpf4j.runtime.memory.Memory;

/**
 * {@code bpf_fib_lookup(ctx, params, plen, flags)} against the user-space {@link RoutingTable}: fills
 * {@code struct bpf_fib_lookup} (64 bytes) as the kernel's {@code bpf_ipv4_fib_lookup} and
 * {@code bpf_ipv6_fib_lookup} do (net/core/filter.c) and returns a {@code BPF_FIB_LKUP_RET_*} code:
 *
 * <ul>
 *   <li>{@code plen} below 64 or unknown flags: {@code -EINVAL}; a family other than AF_INET and AF_INET6:
 *       {@code -EAFNOSUPPORT}; an input {@code ifindex} the table does not declare: {@code -ENODEV};
 *   <li>no route: NOT_FWDED; blackhole, unreachable, prohibit routes: their codes;
 *   <li>XDP, and TC with {@code tot_len} set: {@code tot_len} above the output interface's MTU is FRAG_NEEDED
 *       with the MTU in {@code mtu_result}, before anything else is written;
 *   <li>then {@code rt_metric}, {@code ifindex} and (for a route via a gateway) the destination become the
 *       route's; without a neighbour entry for the next hop: NO_NEIGH, the MAC addresses untouched;
 *   <li>success: {@code smac}, {@code dmac}, the VLAN fields cleared, and {@code mtu_result} (XDP, or TC with
 *       {@code tot_len}); {@code BPF_FIB_LOOKUP_SKIP_NEIGH} succeeds without looking for the neighbour and
 *       leaves the MAC addresses alone;
 *   <li>TC without {@code tot_len}: after a success, the frame itself is checked against the MTU (as
 *       {@code is_skb_forwardable}: MTU plus 18 bytes of Ethernet and VLAN header), FRAG_NEEDED when it is
 *       longer, and {@code mtu_result} is the MTU either way.
 * </ul>
 *
 * The kernel's other inputs have nothing to act on in user space: DIRECT, OUTPUT, TBID, SRC and MARK are
 * accepted and ignored, and forwarding counts as enabled on every interface.
 */
final class FibLookup {
    private FibLookup() {}

    static final int AF_INET = 2, AF_INET6 = 10, EAFNOSUPPORT = 97;
    static final int RET_SUCCESS = 0, RET_BLACKHOLE = 1, RET_UNREACHABLE = 2, RET_PROHIBIT = 3, RET_NOT_FWDED = 4,
            RET_NO_NEIGH = 7, RET_FRAG_NEEDED = 8;
    static final long FLAG_DIRECT = 1, FLAG_OUTPUT = 2, FLAG_SKIP_NEIGH = 4, FLAG_TBID = 8, FLAG_SRC = 16,
            FLAG_MARK = 32, FLAGS = FLAG_DIRECT | FLAG_OUTPUT | FLAG_SKIP_NEIGH | FLAG_TBID | FLAG_SRC | FLAG_MARK;
    // offsets in struct bpf_fib_lookup
    static final int FAMILY = 0, TOT_LEN = 6, IFINDEX = 8, RT_METRIC = 12, SRC = 16, DST = 32, VLAN_PROTO = 48,
            VLAN_TCI = 50, SMAC = 52, DMAC = 58, SIZE = 64;
    /** ETH_HLEN + VLAN_HLEN: what is_skb_forwardable allows beyond the MTU. */
    static final int LINK_HEADER = 18;

    static long lookup(HelperContext c, long ctx, long params, long plen, long flags, long unused) {
        if ((int) plen < SIZE) {
            return -Errno.EINVAL;
        }
        if ((flags & 0xffff_ffffL & ~FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        PacketState s = PacketHelpers.state(c);
        Memory m = c.memory();
        boolean tc = s.hook == TcHook.INSTANCE;
        int totLen = (int) m.load16(params + TOT_LEN);
        boolean checkMtu = !tc || totLen != 0;
        long rc = lookup(m, s.services.routes(), params, flags, checkMtu);
        if (tc && !checkMtu && rc == RET_SUCCESS) {
            RoutingTable.Interface out = s.services.routes().iface((int) m.load32(params + IFINDEX)).orElseThrow();
            if (s.buffer.length() > out.mtu() + LINK_HEADER) {
                rc = RET_FRAG_NEEDED;
            }
            m.store16(params + TOT_LEN, out.mtu());
        }
        return rc;
    }

    private static long lookup(Memory m, RoutingTable table, long params, long flags, boolean checkMtu) {
        int family = (int) m.load8(params + FAMILY);
        int addrLen = switch (family) {
            case AF_INET -> 4;
            case AF_INET6 -> 16;
            default -> -1;
        };
        if (addrLen < 0) {
            return -EAFNOSUPPORT;
        }
        if (table.iface((int) m.load32(params + IFINDEX)).isEmpty()) {
            return -Errno.ENODEV;
        }
        byte[] dst = new byte[addrLen];
        m.read(params + DST, dst, 0, addrLen);
        RoutingTable.Route route = table.route(dst);
        if (route == null) {
            return RET_NOT_FWDED;
        }
        switch (route.type()) {
            case BLACKHOLE -> {
                return RET_BLACKHOLE;
            }
            case UNREACHABLE -> {
                return RET_UNREACHABLE;
            }
            case PROHIBIT -> {
                return RET_PROHIBIT;
            }
            default -> {}
        }
        RoutingTable.Interface out = table.iface(route.ifindex()).orElseThrow(() -> new IllegalStateException(
                "a route leaves through interface " + route.ifindex() + ", which the routing table does not declare"
                        + " (RoutingTable.addInterface)"));
        int mtu = 0;
        if (checkMtu) {
            mtu = out.mtu();
            if ((int) m.load16(params + TOT_LEN) > mtu) {
                m.store16(params + TOT_LEN, mtu); // mtu_result shares tot_len's place
                return RET_FRAG_NEEDED;
            }
        }
        m.store32(params + RT_METRIC, route.metric());
        m.store32(params + IFINDEX, route.ifindex());
        if (route.gateway() != null) {
            m.write(params + DST, route.gateway(), 0, addrLen);
        }
        if ((flags & FLAG_SKIP_NEIGH) == 0) {
            byte[] mac = table.neighbor(route.gateway() != null ? route.gateway() : dst);
            if (mac == null) {
                return RET_NO_NEIGH;
            }
            m.write(params + DMAC, mac, 0, 6);
            m.write(params + SMAC, out.mac(), 0, 6);
        }
        // bpf_fib_set_fwd_params
        m.store16(params + VLAN_TCI, 0);
        m.store16(params + VLAN_PROTO, 0);
        if (mtu != 0) {
            m.store16(params + TOT_LEN, mtu);
        }
        return RET_SUCCESS;
    }
}
