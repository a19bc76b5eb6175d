package org.bpf4j.cli.agreement;

import static org.bpf4j.net.gen.Frames.ETHERTYPE_ARP;
import static org.bpf4j.net.gen.Frames.ETHERTYPE_IPV4;
import static org.bpf4j.net.gen.Frames.ETHERTYPE_IPV6;
import static org.bpf4j.net.gen.Frames.ETHERTYPE_VLAN;
import static org.bpf4j.net.gen.Frames.PROTO_ICMP;
import static org.bpf4j.net.gen.Frames.PROTO_ICMPV6;
import static org.bpf4j.net.gen.Frames.PROTO_TCP;
import static org.bpf4j.net.gen.Frames.PROTO_UDP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bpf4j.net.gen.Frames;

/**
 * Generated frames for the corners the bundled capture misses: truncation inside every header, the smallest and
 * largest frames, VLAN tags (one, two, three), IPv6 extension headers, IPv4 fragments and options, malformed IPv4
 * headers. Each has a label that says what it is.
 */
final class EdgeFrames {
    private EdgeFrames() {}

    record Frame(String label, byte[] bytes) {}

    static final int ETHERTYPE_QINQ = 0x88a8;
    static final int XDP_LINEAR_MAX = TestRunLimits.XDP_LINEAR_MAX;
    static final int TC_MAX = TestRunLimits.TC_MAX;

    static final byte[] MAC_A = Frames.mac("02:00:00:00:00:0a");
    static final byte[] MAC_B = Frames.mac("02:00:00:00:00:0b");
    static final byte[] IP4_A = Frames.ipv4("10.0.0.1");
    static final byte[] IP4_B = Frames.ipv4("10.0.0.2");
    static final byte[] IP6_A = Frames.ipv6("fd00::1");
    static final byte[] IP6_B = Frames.ipv6("fd00::2");

    static byte[] tcp(int port) {
        return Frames.tcp(40000, port).flags(Frames.SYN).payload(bytes(12, 0x11)).build();
    }

    static byte[] udp(int port) {
        return Frames.udp(40001, port, Frames.dnsQuery(0x1234, "example.org", 1));
    }

    static byte[] ipv4(int protocol, byte[] l4) {
        return Frames.ipv4(IP4_A, IP4_B, protocol).build(l4);
    }

    static byte[] ipv6(int nextHeader, byte[] payload) {
        return Frames.ipv6(IP6_A, IP6_B, nextHeader).transportChecksum(false).build(payload);
    }

    static byte[] eth(int etherType, byte[] payload) {
        return Frames.ethernet(MAC_B, MAC_A, etherType, payload);
    }

    /** An Ethernet frame with tags (outer first), each {TPID, VLAN id}, then {@code etherType}. */
    static byte[] tagged(int[][] tags, int etherType, byte[] payload) {
        byte[] inner = payload;
        int type = etherType;
        for (int i = tags.length - 1; i >= 0; i--) {
            byte[] t = new byte[4 + inner.length];
            t[0] = (byte) (tags[i][1] >> 8);
            t[1] = (byte) tags[i][1];
            t[2] = (byte) (type >> 8);
            t[3] = (byte) type;
            System.arraycopy(inner, 0, t, 4, inner.length);
            inner = t;
            type = tags[i][0];
        }
        return eth(type, inner);
    }

    static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** An IPv6 extension header of {@code units} 8-octet units (hop-by-hop, routing, destination options). */
    static byte[] extension(int next, int units, int type) {
        byte[] h = new byte[8 * units];
        h[0] = (byte) next;
        h[1] = (byte) (units - 1);
        if (type == 43) { // routing: type 0 would be deprecated; use type 4 (segment routing) with no segments
            h[2] = 4;
            h[3] = 0;
        } else {
            h[2] = 1; // PadN over the rest
            h[3] = (byte) (h.length - 4);
        }
        return h;
    }

    static byte[] fragmentHeader(int next, int offset, boolean more, int id) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        int off = offset / 8 << 3 | (more ? 1 : 0);
        h[2] = (byte) (off >> 8);
        h[3] = (byte) off;
        h[4] = (byte) (id >>> 24);
        h[5] = (byte) (id >>> 16);
        h[6] = (byte) (id >>> 8);
        h[7] = (byte) id;
        return h;
    }

    /** Frames whose every prefix is interesting: the truncation cases cut each at every length up to its end. */
    static List<Frame> deepFrames() {
        List<Frame> f = new ArrayList<>();
        f.add(new Frame("ipv4 tcp:80", eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(80)))));
        f.add(new Frame("ipv4 udp:53", eth(ETHERTYPE_IPV4, ipv4(PROTO_UDP, udp(53)))));
        f.add(new Frame("vlan ipv4 tcp:22", tagged(new int[][] {{ETHERTYPE_VLAN, 10}}, ETHERTYPE_IPV4,
                ipv4(PROTO_TCP, tcp(22)))));
        f.add(new Frame("qinq ipv6 tcp:80", tagged(new int[][] {{ETHERTYPE_QINQ, 100}, {ETHERTYPE_VLAN, 10}},
                ETHERTYPE_IPV6, ipv6(PROTO_TCP, tcp(80)))));
        f.add(new Frame("ipv6 udp:53", eth(ETHERTYPE_IPV6, ipv6(PROTO_UDP, udp(53)))));
        f.add(new Frame("ipv4+40B options tcp:23", eth(ETHERTYPE_IPV4, Frames.ipv4(IP4_A, IP4_B, PROTO_TCP)
                .options(routerAlertAndNops(40)).build(tcp(23)))));
        return f;
    }

    /** Every prefix of the deep frames, from 0 bytes to the whole headers and 4 bytes beyond. */
    static List<Frame> truncations() {
        List<Frame> out = new ArrayList<>();
        for (Frame d : deepFrames()) {
            int upTo = Math.min(d.bytes().length, headersEnd(d.bytes()) + 4);
            for (int n = 0; n <= upTo; n++) {
                out.add(new Frame(d.label() + " cut at " + n, Arrays.copyOf(d.bytes(), n)));
            }
        }
        return out;
    }

    // where the L4 header ends (TCP 20, UDP 8) in the deep frames
    private static int headersEnd(byte[] f) {
        int at = 12;
        int type = (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
        at = 14;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
            type = (f[at + 2] & 0xff) << 8 | f[at + 3] & 0xff;
            at += 4;
        }
        int proto;
        if (type == ETHERTYPE_IPV4) {
            proto = f[at + 9] & 0xff;
            at += (f[at] & 0xf) * 4;
        } else {
            proto = f[at + 6] & 0xff;
            at += 40;
        }
        return at + (proto == PROTO_TCP ? 20 : 8);
    }

    /** IPv4 options: a router alert (copied, 4 bytes) then NOPs, {@code n} bytes. */
    static byte[] routerAlertAndNops(int n) {
        byte[] o = bytes(n, 1);
        o[0] = (byte) 0x94;
        o[1] = 4;
        o[2] = 0;
        o[3] = 0;
        return o;
    }

    static List<Frame> all() {
        List<Frame> out = new ArrayList<>();
        // the smallest frames the kernel runs: a bare Ethernet header of each type
        for (int type : new int[] {0, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_ARP, ETHERTYPE_VLAN, ETHERTYPE_QINQ,
                0x0600, 0x05ff, 0xffff}) {
            out.add(new Frame("14-byte frame, EtherType 0x" + Integer.toHexString(type), eth(type, new byte[0])));
        }
        out.addAll(truncations());
        // the whole deep frames
        out.addAll(deepFrames());
        // plain traffic of every kind the examples distinguish
        for (int port : new int[] {22, 23, 53, 80, 443}) {
            out.add(new Frame("ipv4 tcp:" + port, eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(port)))));
            out.add(new Frame("ipv4 udp:" + port, eth(ETHERTYPE_IPV4, ipv4(PROTO_UDP, udp(port)))));
            out.add(new Frame("ipv6 tcp:" + port, eth(ETHERTYPE_IPV6, ipv6(PROTO_TCP, tcp(port)))));
        }
        out.add(new Frame("ipv4 icmp echo", eth(ETHERTYPE_IPV4, ipv4(PROTO_ICMP,
                Frames.icmpEcho(true, 7, 1, bytes(32, 0x61))))));
        out.add(new Frame("ipv6 icmpv6 echo", eth(ETHERTYPE_IPV6, Frames.ipv6(IP6_A, IP6_B, PROTO_ICMPV6)
                .build(Frames.icmpv6Echo(true, 7, 1, bytes(32, 0x61))))));
        out.add(new Frame("arp request", eth(ETHERTYPE_ARP, Frames.arp(Frames.ARP_REQUEST, MAC_A, IP4_A,
                new byte[6], IP4_B))));
        // VLAN tags: one 802.1Q, QinQ (802.1ad outer), two 802.1Q, three tags (more than the examples skip)
        int[][][] tagSets = {
            {{ETHERTYPE_VLAN, 5}},
            {{ETHERTYPE_QINQ, 300}, {ETHERTYPE_VLAN, 5}},
            {{ETHERTYPE_VLAN, 300}, {ETHERTYPE_VLAN, 5}},
            {{ETHERTYPE_QINQ, 1}, {ETHERTYPE_VLAN, 2}, {ETHERTYPE_VLAN, 3}},
            {{ETHERTYPE_VLAN, 0xfff}}
        };
        for (int[][] tags : tagSets) {
            String t = tags.length + " tag(s)";
            out.add(new Frame(t + " ipv4 tcp:80", tagged(tags, ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(80)))));
            out.add(new Frame(t + " ipv4 tcp:23", tagged(tags, ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(23)))));
            out.add(new Frame(t + " ipv4 udp:53", tagged(tags, ETHERTYPE_IPV4, ipv4(PROTO_UDP, udp(53)))));
            out.add(new Frame(t + " ipv6 tcp:80", tagged(tags, ETHERTYPE_IPV6, ipv6(PROTO_TCP, tcp(80)))));
            out.add(new Frame(t + " arp", tagged(tags, ETHERTYPE_ARP, Frames.arp(Frames.ARP_REPLY, MAC_A, IP4_A,
                    MAC_B, IP4_B))));
            out.add(new Frame(t + " only (no payload)", tagged(tags, ETHERTYPE_IPV4, new byte[0])));
        }
        // IPv6 extension headers before TCP to port 80: the examples read nexthdr only, so these pass
        out.add(new Frame("ipv6 hop-by-hop tcp:80", eth(ETHERTYPE_IPV6, ipv6(0,
                Frames.concat(extension(PROTO_TCP, 1, 0), tcp(80))))));
        out.add(new Frame("ipv6 routing tcp:80", eth(ETHERTYPE_IPV6, ipv6(43,
                Frames.concat(extension(PROTO_TCP, 1, 43), tcp(80))))));
        out.add(new Frame("ipv6 fragment (first) tcp:80", eth(ETHERTYPE_IPV6, ipv6(44,
                Frames.concat(fragmentHeader(PROTO_TCP, 0, true, 0x1234), tcp(80))))));
        out.add(new Frame("ipv6 fragment (later) tcp", eth(ETHERTYPE_IPV6, ipv6(44,
                Frames.concat(fragmentHeader(PROTO_TCP, 1232, false, 0x1234), bytes(64, 0x50))))));
        out.add(new Frame("ipv6 hop-by-hop+routing+fragment tcp:80", eth(ETHERTYPE_IPV6, ipv6(0,
                Frames.concat(extension(43, 2, 0), extension(44, 1, 43), fragmentHeader(PROTO_TCP, 0, true, 9),
                        tcp(80))))));
        out.add(new Frame("vlan ipv6 hop-by-hop udp:53", tagged(new int[][] {{ETHERTYPE_VLAN, 7}}, ETHERTYPE_IPV6,
                ipv6(0, Frames.concat(extension(PROTO_UDP, 1, 0), udp(53))))));
        // IPv4 fragments of a TCP segment to port 80 and of a DNS query; later fragments' payload starts with
        // bytes that read like port 80 / 23 to a parser that ignores the fragment offset
        byte[] seg = Frames.tcp(40000, 80).payload(Frames.concat(new byte[] {0, 80, 0, 23}, bytes(92, 0x33)))
                .build();
        List<byte[]> tcpFragments = Frames.fragment(Frames.ipv4(IP4_A, IP4_B, PROTO_TCP).id(77).build(seg), 24);
        for (int i = 0; i < tcpFragments.size(); i++) {
            out.add(new Frame("ipv4 tcp:80 fragment " + (i + 1) + "/" + tcpFragments.size(),
                    eth(ETHERTYPE_IPV4, tcpFragments.get(i))));
        }
        List<byte[]> udpFragments = Frames.fragment(Frames.ipv4(IP4_A, IP4_B, PROTO_UDP).id(78)
                .options(routerAlertAndNops(8)).build(udp(53)), 16);
        for (int i = 0; i < udpFragments.size(); i++) {
            out.add(new Frame("ipv4+options udp:53 fragment " + (i + 1) + "/" + udpFragments.size(),
                    eth(ETHERTYPE_IPV4, udpFragments.get(i))));
        }
        // IPv4 options: every header length from 6 to 15 words
        for (int words = 6; words <= 15; words++) {
            byte[] opts = routerAlertAndNops(4 * (words - 5));
            out.add(new Frame("ipv4 ihl=" + words + " tcp:80", eth(ETHERTYPE_IPV4, Frames.ipv4(IP4_A, IP4_B, PROTO_TCP)
                    .options(opts).build(tcp(80)))));
            out.add(new Frame("ipv4 ihl=" + words + " tcp:22", eth(ETHERTYPE_IPV4, Frames.ipv4(IP4_A, IP4_B, PROTO_TCP)
                    .options(opts).build(tcp(22)))));
            out.add(new Frame("ipv4 ihl=" + words + " udp:53", eth(ETHERTYPE_IPV4, Frames.ipv4(IP4_A, IP4_B, PROTO_UDP)
                    .options(opts).build(udp(53)))));
        }
        // malformed IPv4: header lengths below 5 words, a wrong version, a wrong header checksum, a header length
        // that reaches beyond the frame
        for (int ihl = 0; ihl < 5; ihl++) {
            byte[] f = eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(80)));
            f[14] = (byte) (0x40 | ihl);
            out.add(new Frame("ipv4 ihl=" + ihl + " tcp:80", f));
        }
        byte[] v6in4 = eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(80)));
        v6in4[14] = 0x65;
        out.add(new Frame("ipv4 EtherType, version 6", v6in4));
        for (int flip : new int[] {10, 11, 12, 19}) {
            byte[] bad = eth(ETHERTYPE_IPV4, ipv4(PROTO_UDP, udp(53)));
            bad[14 + flip] ^= 0x5a;
            out.add(new Frame("ipv4 udp:53 with a wrong header checksum (byte " + flip + " changed)", bad));
        }
        byte[] longIhl = eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(80)));
        longIhl[14] = 0x4f;
        out.add(new Frame("ipv4 ihl=15 without the options", Arrays.copyOf(longIhl, 14 + 60 + 10)));
        // sizes: common ones, around globals' 1000-byte limit, and the kernel's limits
        for (int n : new int[] {15, 42, 60, 64, 128, 999, 1000, 1001, 1500, 1514, 1518, 2048, XDP_LINEAR_MAX - 1,
                XDP_LINEAR_MAX}) {
            out.add(new Frame("ipv4 tcp:80 padded to " + n, pad(eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(80))), n)));
        }
        return out;
    }

    /** Frames above the XDP test run's linear maximum, for TC (up to {@link #TC_MAX}) and for the XDP checks. */
    static List<Frame> large() {
        List<Frame> out = new ArrayList<>();
        for (int n : new int[] {XDP_LINEAR_MAX + 1, TC_MAX - 1, TC_MAX}) {
            out.add(new Frame("ipv4 tcp:22 padded to " + n, pad(eth(ETHERTYPE_IPV4, ipv4(PROTO_TCP, tcp(22))), n)));
        }
        return out;
    }

    /** A frame cut or padded to {@code n} bytes (padding with a pattern, not zeros, so that misplaced bytes show). */
    static byte[] pad(byte[] f, int n) {
        byte[] out = Arrays.copyOf(f, n);
        for (int i = f.length; i < out.length; i++) {
            out[i] = (byte) (i * 7 + 3);
        }
        return out;
    }
}
