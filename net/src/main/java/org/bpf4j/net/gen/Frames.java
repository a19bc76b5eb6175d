package org.bpf4j.net.gen;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Builds packets layer by layer, with correct lengths and checksums: Ethernet and 802.1Q frames, ARP, IPv4 (with
 * options and fragmentation) and IPv6 packets, TCP, UDP, ICMP and ICMPv6 messages, DNS messages.
 *
 * <p>Transport headers are built with a zero checksum; the IP layer fills it in from its pseudo-header when
 * it wraps them ({@link Ipv4#transportChecksum(boolean)} turns that off, for bad-checksum cases). All
 * multi-byte fields are in network byte order.
 *
 * <pre>{@code
 * byte[] frame = Frames.ethernet(Frames.mac("02:00:00:00:00:02"), Frames.mac("02:00:00:00:00:01"),
 *         Frames.ETHERTYPE_IPV4,
 *         Frames.ipv4(Frames.ipv4("10.0.0.1"), Frames.ipv4("192.0.2.80"), Frames.PROTO_TCP)
 *                 .build(Frames.tcp(40000, 80).flags(Frames.SYN).seq(1).build()));
 * }</pre>
 */
public final class Frames {
    private Frames() {}

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_IPV6 = 0x86dd;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;

    /** TCP flags. */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;

    public static final int ARP_REQUEST = 1;
    public static final int ARP_REPLY = 2;

    public static final int ETHERNET_HEADER = 14;
    public static final int VLAN_TAG = 4;
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    public static final int TCP_HEADER = 20;
    public static final int UDP_HEADER = 8;

    public static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};

    // ---- addresses ----

    /** A MAC address from {@code 02:00:00:00:00:01} (colons or dashes). */
    public static byte[] mac(String text) {
        byte[] mac = HexFormat.of().parseHex(text.replace(":", "").replace("-", ""));
        if (mac.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return mac;
    }

    /** The 4 bytes of a dotted-quad IPv4 address. */
    public static byte[] ipv4(String text) {
        if (!(InetAddress.ofLiteral(text) instanceof Inet4Address a)) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return a.getAddress();
    }

    /** The 16 bytes of an IPv6 address literal, such as {@code 2001:db8::1}. */
    public static byte[] ipv6(String text) {
        if (!(InetAddress.ofLiteral(text) instanceof Inet6Address a)) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        return a.getAddress();
    }

    // ---- link layer ----

    /** An Ethernet II frame (no frame check sequence). */
    public static byte[] ethernet(byte[] dst, byte[] src, int etherType, byte[] payload) {
        byte[] f = new byte[ETHERNET_HEADER + payload.length];
        put(f, 0, checkLength(dst, 6, "destination MAC"));
        put(f, 6, checkLength(src, 6, "source MAC"));
        be16(f, 12, etherType);
        put(f, ETHERNET_HEADER, payload);
        return f;
    }

    /** An Ethernet frame with one 802.1Q tag: VLAN {@code vlanId} (12 bits), priority {@code pcp} (3 bits). */
    public static byte[] vlan(byte[] dst, byte[] src, int vlanId, int pcp, int etherType, byte[] payload) {
        if (vlanId < 0 || vlanId > 0xfff || pcp < 0 || pcp > 7) {
            throw new IllegalArgumentException("VLAN id " + vlanId + ", priority " + pcp);
        }
        byte[] tagged = new byte[VLAN_TAG + payload.length];
        be16(tagged, 0, pcp << 13 | vlanId);
        be16(tagged, 2, etherType);
        put(tagged, VLAN_TAG, payload);
        return ethernet(dst, src, ETHERTYPE_VLAN, tagged);
    }

    /** An ARP message for IPv4 over Ethernet (28 bytes), to be wrapped in an Ethernet frame. */
    public static byte[] arp(int operation, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) {
        byte[] a = new byte[28];
        be16(a, 0, 1); // hardware: Ethernet
        be16(a, 2, ETHERTYPE_IPV4);
        a[4] = 6;
        a[5] = 4;
        be16(a, 6, operation);
        put(a, 8, checkLength(senderMac, 6, "sender MAC"));
        put(a, 14, checkLength(senderIp, 4, "sender IP"));
        put(a, 18, checkLength(targetMac, 6, "target MAC"));
        put(a, 24, checkLength(targetIp, 4, "target IP"));
        return a;
    }

    // ---- network layer ----

    /** Starts an IPv4 header: TTL 64, identification 0, no flags, no options, transport checksum filled. */
    public static Ipv4 ipv4(byte[] src, byte[] dst, int protocol) {
        return new Ipv4(checkLength(src, 4, "source address"), checkLength(dst, 4, "destination address"), protocol);
    }

    /** Starts an IPv6 header: hop limit 64, no traffic class or flow label, transport checksum filled. */
    public static Ipv6 ipv6(byte[] src, byte[] dst, int nextHeader) {
        return new Ipv6(checkLength(src, 16, "source address"), checkLength(dst, 16, "destination address"),
                nextHeader);
    }

    /** An IPv4 header under construction; {@link #build} makes the packet. */
    public static final class Ipv4 {
        private final byte[] src;
        private final byte[] dst;
        private final int protocol;
        private int ttl = 64;
        private int id;
        private int tos;
        private boolean dontFragment;
        private boolean moreFragments;
        private int fragmentOffset;
        private byte[] options = new byte[0];
        private boolean transportChecksum = true;

        private Ipv4(byte[] src, byte[] dst, int protocol) {
            this.src = src.clone();
            this.dst = dst.clone();
            this.protocol = protocol;
        }

        public Ipv4 ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        public Ipv4 id(int id) {
            this.id = id;
            return this;
        }

        public Ipv4 tos(int tos) {
            this.tos = tos;
            return this;
        }

        public Ipv4 dontFragment(boolean df) {
            this.dontFragment = df;
            return this;
        }

        public Ipv4 moreFragments(boolean mf) {
            this.moreFragments = mf;
            return this;
        }

        /** The fragment offset in bytes, a multiple of 8. */
        public Ipv4 fragmentOffset(int bytes) {
            if (bytes % 8 != 0 || bytes < 0 || bytes / 8 > 0x1fff) {
                throw new IllegalArgumentException("fragment offset " + bytes);
            }
            this.fragmentOffset = bytes;
            return this;
        }

        /** Header options, padded with end-of-option-list bytes to a multiple of 4 (at most 40 bytes). */
        public Ipv4 options(byte[] options) {
            int padded = (options.length + 3) & ~3;
            if (padded > 40) {
                throw new IllegalArgumentException("IPv4 options of " + options.length + " bytes: more than 40");
            }
            this.options = Arrays.copyOf(options, padded);
            return this;
        }

        /** Whether {@link #build} computes the TCP or UDP checksum of an unfragmented payload (default true). */
        public Ipv4 transportChecksum(boolean fill) {
            this.transportChecksum = fill;
            return this;
        }

        /** The packet: header with its checksum, then the payload (with its transport checksum filled in). */
        public byte[] build(byte[] payload) {
            int headerLength = IPV4_HEADER + options.length;
            int total = headerLength + payload.length;
            if (total > 0xffff) {
                throw new IllegalArgumentException("IPv4 packet of " + total + " bytes");
            }
            byte[] p = new byte[total];
            p[0] = (byte) (0x40 | headerLength / 4);
            p[1] = (byte) tos;
            be16(p, 2, total);
            be16(p, 4, id);
            be16(p, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset / 8);
            p[8] = (byte) ttl;
            p[9] = (byte) protocol;
            put(p, 12, src);
            put(p, 16, dst);
            put(p, IPV4_HEADER, options);
            be16(p, 10, checksum(p, 0, headerLength));
            put(p, headerLength, payload);
            if (transportChecksum && !moreFragments && fragmentOffset == 0) {
                fillTransportChecksum(p, headerLength, protocol, pseudoHeaderSum(src, dst, protocol, payload.length));
            }
            return p;
        }
    }

    /** An IPv6 header under construction; {@link #build} makes the packet. */
    public static final class Ipv6 {
        private final byte[] src;
        private final byte[] dst;
        private final int nextHeader;
        private int hopLimit = 64;
        private int trafficClass;
        private int flowLabel;
        private boolean transportChecksum = true;

        private Ipv6(byte[] src, byte[] dst, int nextHeader) {
            this.src = src.clone();
            this.dst = dst.clone();
            this.nextHeader = nextHeader;
        }

        public Ipv6 hopLimit(int hopLimit) {
            this.hopLimit = hopLimit;
            return this;
        }

        public Ipv6 trafficClass(int trafficClass) {
            this.trafficClass = trafficClass;
            return this;
        }

        public Ipv6 flowLabel(int flowLabel) {
            this.flowLabel = flowLabel & 0xfffff;
            return this;
        }

        /** Whether {@link #build} computes the TCP, UDP or ICMPv6 checksum (default true). */
        public Ipv6 transportChecksum(boolean fill) {
            this.transportChecksum = fill;
            return this;
        }

        public byte[] build(byte[] payload) {
            if (payload.length > 0xffff) {
                throw new IllegalArgumentException("IPv6 payload of " + payload.length + " bytes");
            }
            byte[] p = new byte[IPV6_HEADER + payload.length];
            be32(p, 0, 6 << 28 | (trafficClass & 0xff) << 20 | flowLabel);
            be16(p, 4, payload.length);
            p[6] = (byte) nextHeader;
            p[7] = (byte) hopLimit;
            put(p, 8, src);
            put(p, 24, dst);
            put(p, IPV6_HEADER, payload);
            if (transportChecksum) {
                fillTransportChecksum(p, IPV6_HEADER, nextHeader,
                        pseudoHeaderSum(src, dst, nextHeader, payload.length));
            }
            return p;
        }
    }

    /**
     * Splits an unfragmented IPv4 packet into fragments carrying at most {@code maxPayload} bytes of its
     * payload each (rounded down to a multiple of 8). Options whose copy flag is set go into every fragment,
     * the others into the first only; each header gets its own checksum.
     */
    public static List<byte[]> fragment(byte[] packet, int maxPayload) {
        int ihl = (packet[0] & 0x0f) * 4;
        int total = u16(packet, 2);
        int step = maxPayload & ~7;
        if (step <= 0) {
            throw new IllegalArgumentException("fragments of " + maxPayload + " bytes");
        }
        if ((u16(packet, 6) & 0x3fff) != 0) {
            throw new IllegalArgumentException("the packet is already a fragment");
        }
        byte[] firstOptions = Arrays.copyOfRange(packet, IPV4_HEADER, ihl);
        byte[] copiedOptions = copiedOptions(firstOptions);
        List<byte[]> fragments = new ArrayList<>();
        for (int off = 0; off < total - ihl; off += step) {
            int len = Math.min(step, total - ihl - off);
            byte[] opts = off == 0 ? firstOptions : copiedOptions;
            int hl = IPV4_HEADER + opts.length;
            byte[] f = new byte[hl + len];
            System.arraycopy(packet, 0, f, 0, IPV4_HEADER);
            put(f, IPV4_HEADER, opts);
            f[0] = (byte) (0x40 | hl / 4);
            be16(f, 2, hl + len);
            boolean more = off + len < total - ihl;
            be16(f, 6, (u16(packet, 6) & 0x4000) | (more ? 0x2000 : 0) | off / 8);
            be16(f, 10, 0);
            be16(f, 10, checksum(f, 0, hl));
            System.arraycopy(packet, ihl + off, f, hl, len);
            fragments.add(f);
        }
        return fragments;
    }

    private static byte[] copiedOptions(byte[] options) {
        byte[] out = new byte[options.length];
        int n = 0;
        for (int i = 0; i < options.length; ) {
            int type = options[i] & 0xff;
            if (type == 0) {
                break;
            }
            int len = type == 1 ? 1 : Math.max(2, options[Math.min(i + 1, options.length - 1)] & 0xff);
            len = Math.min(len, options.length - i);
            if ((type & 0x80) != 0) {
                System.arraycopy(options, i, out, n, len);
                n += len;
            }
            i += len;
        }
        return Arrays.copyOf(out, (n + 3) & ~3);
    }

    // ---- transport layer ----

    /** Starts a TCP header: sequence and acknowledgement 0, no flags, window 65535, no options. */
    public static Tcp tcp(int srcPort, int dstPort) {
        return new Tcp(srcPort, dstPort);
    }

    /** A TCP header under construction; {@link #build} makes the segment, with a zero checksum. */
    public static final class Tcp {
        private final int srcPort;
        private final int dstPort;
        private long seq;
        private long ack;
        private int flags;
        private int window = 65535;
        private int urgent;
        private byte[] options = new byte[0];
        private byte[] payload = new byte[0];

        private Tcp(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        public Tcp seq(long seq) {
            this.seq = seq;
            return this;
        }

        public Tcp ack(long ack) {
            this.ack = ack;
            return this;
        }

        /** Flags, such as {@code SYN | ACK}. */
        public Tcp flags(int flags) {
            this.flags = flags;
            return this;
        }

        public Tcp window(int window) {
            this.window = window;
            return this;
        }

        public Tcp urgent(int urgent) {
            this.urgent = urgent;
            return this;
        }

        /** Options, padded with end-of-option-list bytes to a multiple of 4 (at most 40 bytes). */
        public Tcp options(byte[] options) {
            int padded = (options.length + 3) & ~3;
            if (padded > 40) {
                throw new IllegalArgumentException("TCP options of " + options.length + " bytes: more than 40");
            }
            this.options = Arrays.copyOf(options, padded);
            return this;
        }

        public Tcp payload(byte[] payload) {
            this.payload = payload.clone();
            return this;
        }

        public byte[] build() {
            int hl = TCP_HEADER + options.length;
            byte[] s = new byte[hl + payload.length];
            be16(s, 0, srcPort);
            be16(s, 2, dstPort);
            be32(s, 4, (int) seq);
            be32(s, 8, (int) ack);
            s[12] = (byte) (hl / 4 << 4);
            s[13] = (byte) flags;
            be16(s, 14, window);
            be16(s, 18, urgent);
            put(s, TCP_HEADER, options);
            put(s, hl, payload);
            return s;
        }
    }

    /** A UDP datagram with its length and a zero checksum. */
    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        byte[] d = new byte[UDP_HEADER + payload.length];
        be16(d, 0, srcPort);
        be16(d, 2, dstPort);
        be16(d, 4, d.length);
        put(d, UDP_HEADER, payload);
        return d;
    }

    /** An ICMP echo request (type 8) or reply (type 0), with its checksum. */
    public static byte[] icmpEcho(boolean request, int identifier, int sequence, byte[] data) {
        byte[] m = echo(request ? 8 : 0, identifier, sequence, data);
        be16(m, 2, checksum(m, 0, m.length));
        return m;
    }

    /** An ICMPv6 echo request (type 128) or reply (129), with a zero checksum: {@link Ipv6#build} fills it. */
    public static byte[] icmpv6Echo(boolean request, int identifier, int sequence, byte[] data) {
        return echo(request ? 128 : 129, identifier, sequence, data);
    }

    private static byte[] echo(int type, int identifier, int sequence, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) type;
        be16(m, 4, identifier);
        be16(m, 6, sequence);
        put(m, 8, data);
        return m;
    }

    // ---- application layer ----

    /** A DNS query (recursion desired) for one name, of type {@code qtype} (1 = A, 28 = AAAA), class IN. */
    public static byte[] dnsQuery(int id, String name, int qtype) {
        byte[] question = dnsQuestion(name, qtype);
        byte[] m = new byte[12 + question.length];
        be16(m, 0, id);
        be16(m, 2, 0x0100);
        be16(m, 4, 1);
        put(m, 12, question);
        return m;
    }

    /**
     * A DNS response to {@link #dnsQuery}: the question, then one answer of the query's type (a 4-byte address
     * for A, 16 for AAAA) with a compressed name and the given TTL.
     */
    public static byte[] dnsResponse(int id, String name, int qtype, byte[] address, int ttl) {
        byte[] question = dnsQuestion(name, qtype);
        byte[] m = new byte[12 + question.length + 12 + address.length];
        be16(m, 0, id);
        be16(m, 2, 0x8180);
        be16(m, 4, 1);
        be16(m, 6, 1);
        put(m, 12, question);
        int a = 12 + question.length;
        be16(m, a, 0xc00c); // pointer to the name in the question
        be16(m, a + 2, qtype);
        be16(m, a + 4, 1);
        be32(m, a + 6, ttl);
        be16(m, a + 10, address.length);
        put(m, a + 12, address);
        return m;
    }

    private static byte[] dnsQuestion(String name, int qtype) {
        byte[] q = new byte[name.length() + 2 + 4];
        int at = 0;
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("bad DNS name " + name);
            }
            q[at++] = (byte) l.length;
            put(q, at, l);
            at += l.length;
        }
        q[at++] = 0;
        be16(q, at, qtype);
        be16(q, at + 2, 1);
        return Arrays.copyOf(q, at + 4);
    }

    // ---- checksums and bytes ----

    /** The Internet checksum (RFC 1071) of {@code b[off .. off + len)}: the complement of the ones' complement sum. */
    public static int checksum(byte[] b, int off, int len) {
        return ~fold(sum(b, off, len, 0)) & 0xffff;
    }

    /** Whether the IPv4 header at the start of {@code packet} has a correct checksum. */
    public static boolean ipv4HeaderChecksumValid(byte[] packet) {
        int ihl = (packet[0] & 0x0f) * 4;
        return fold(sum(packet, 0, ihl, 0)) == 0xffff;
    }

    /**
     * Whether the TCP, UDP or ICMPv6 checksum of the unfragmented IPv4 or IPv6 packet at the start of
     * {@code packet} (no IPv6 extension headers) is correct; a UDP checksum of 0 (none) counts as correct.
     */
    public static boolean transportChecksumValid(byte[] packet) {
        int version = (packet[0] & 0xff) >>> 4;
        byte[] src;
        byte[] dst;
        int protocol;
        int off;
        int length;
        if (version == 4) {
            off = (packet[0] & 0x0f) * 4;
            length = u16(packet, 2) - off;
            protocol = packet[9] & 0xff;
            src = Arrays.copyOfRange(packet, 12, 16);
            dst = Arrays.copyOfRange(packet, 16, 20);
        } else {
            off = IPV6_HEADER;
            length = u16(packet, 4);
            protocol = packet[6] & 0xff;
            src = Arrays.copyOfRange(packet, 8, 24);
            dst = Arrays.copyOfRange(packet, 24, 40);
        }
        if (protocol == PROTO_UDP && u16(packet, off + 6) == 0) {
            return version == 4;
        }
        return fold(sum(packet, off, length, pseudoHeaderSum(src, dst, protocol, length))) == 0xffff;
    }

    /** The first {@code length} bytes of a frame: a capture cut short. */
    public static byte[] truncate(byte[] frame, int length) {
        return Arrays.copyOf(frame, Math.min(length, frame.length));
    }

    /** Concatenates byte arrays. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] r = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            put(r, at, p);
            at += p.length;
        }
        return r;
    }

    private static void fillTransportChecksum(byte[] p, int off, int protocol, long pseudo) {
        int field = switch (protocol) {
            case PROTO_TCP -> 16;
            case PROTO_UDP -> 6;
            case PROTO_ICMPV6 -> 2;
            default -> -1;
        };
        if (field < 0 || p.length < off + field + 2) {
            return;
        }
        be16(p, off + field, 0);
        int c = ~fold(sum(p, off, p.length - off, pseudo)) & 0xffff;
        if (c == 0 && protocol == PROTO_UDP) {
            c = 0xffff; // 0 means "no checksum" in UDP
        }
        be16(p, off + field, c);
    }

    private static long pseudoHeaderSum(byte[] src, byte[] dst, int protocol, int length) {
        long s = sum(src, 0, src.length, 0);
        s = sum(dst, 0, dst.length, s);
        return s + protocol + (length & 0xffff) + (length >>> 16);
    }

    private static long sum(byte[] b, int off, int len, long acc) {
        int i = off;
        for (; i + 1 < off + len; i += 2) {
            acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < off + len) {
            acc += (b[i] & 0xff) << 8;
        }
        return acc;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static byte[] checkLength(byte[] b, int length, String what) {
        Objects.requireNonNull(b, what);
        if (b.length != length) {
            throw new IllegalArgumentException(what + " of " + b.length + " bytes, not " + length);
        }
        return b;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static void be16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void be32(byte[] b, int at, int v) {
        be16(b, at, v >>> 16);
        be16(b, at + 2, v);
    }

    private static void put(byte[] dst, int at, byte[] src) {
        System.arraycopy(src, 0, dst, at, src.length);
    }
}
