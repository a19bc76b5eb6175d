package org.bpf4j.runtime.helpers;

import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.HelperContext;
import org.bpf4j.runtime.memory.Memory;

/**
 * {@code bpf_fib_lookup(ctx, params, plen, flags)} against the user-space {@link RoutingTable}: fills
 * {@code struct bpf_fib_lookup} (64 bytes) as the kernel does and returns a {@code BPF_FIB_LKUP_RET_*} code.
 */
final class FibLookup {
    private FibLookup() {}

    static final int AF_INET = 2, AF_INET6 = 10, EAFNOSUPPORT = 97;
    static final int RET_SUCCESS = 0, RET_BLACKHOLE = 1, RET_UNREACHABLE = 2, RET_PROHIBIT = 3, RET_NOT_FWDED = 4,
            RET_NO_NEIGH = 7, RET_FRAG_NEEDED = 8;
    static final long FLAG_SKIP_NEIGH = 4;
    // offsets in struct bpf_fib_lookup
    static final int FAMILY = 0, TOT_LEN = 6, IFINDEX = 8, SRC = 16, DST = 32, SMAC = 52, DMAC = 58, SIZE = 64;

    static long lookup(HelperContext c, long ctx, long params, long plen, long flags, long unused) {
        if (plen < SIZE) {
            return -Errno.EINVAL;
        }
        Memory m = c.memory();
        RoutingTable table = PacketHelpers.state(c).services.routes();
        int family = (int) m.load8(params + FAMILY);
        int addrLen = switch (family) {
            case AF_INET -> 4;
            case AF_INET6 -> 16;
            default -> -1;
        };
        if (addrLen < 0) {
            return -EAFNOSUPPORT;
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
        var out = table.iface(route.ifindex()).orElse(null);
        // tot_len is in host order (programs store bpf_ntohs(iph->tot_len)); mtu_result shares its place
        int totLen = (int) m.load16(params + TOT_LEN);
        if (out != null && totLen > out.mtu()) {
            m.store16(params + TOT_LEN, out.mtu());
            return RET_FRAG_NEEDED;
        }
        m.store32(params + IFINDEX, route.ifindex());
        byte[] nextHop = route.gateway() != null ? route.gateway() : dst;
        if (route.gateway() != null) {
            m.write(params + DST, route.gateway(), 0, addrLen);
        }
        if (out != null) {
            m.write(params + SMAC, out.mac(), 0, 6);
            m.store16(params + TOT_LEN, out.mtu());
        }
        if ((flags & FLAG_SKIP_NEIGH) != 0) {
            return RET_SUCCESS;
        }
        byte[] mac = table.neighbor(nextHop);
        if (mac == null) {
            return RET_NO_NEIGH;
        }
        m.write(params + DMAC, mac, 0, 6);
        return RET_SUCCESS;
    }
}
