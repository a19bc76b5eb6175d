package org.bpf4j.net.gen;

import static org.bpf4j.net.gen.Frames.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.bpf4j.net.capture.CaptureWriter;
import org.bpf4j.net.capture.LinkType;
import org.bpf4j.net.capture.Packet;

/**
 * A reproducible example capture of about 300 Ethernet frames: TCP conversations over IPv4 (to ports 80, 443,
 * 22 and 8080, with handshakes, data and teardown) and SYN probes answered by resets, DNS and other UDP,
 * ICMP echo, the same over IPv6 with ICMPv6, ARP, 802.1Q-tagged IPv4, IPv4 with header options, IPv4
 * fragments, and frames cut short inside the Ethernet, IP and transport headers.
 *
 * <p>Everything is fixed: the seed, the start time ({@link #START_NANOS}) and microsecond timestamps, so
 * {@link #bytes()} is the same on every run. Every intact frame has correct IPv4 header and TCP, UDP, ICMP and
 * ICMPv6 checksums.
 *
 * <p>{@link #frames()} gives the ground truth, frame by frame; {@link #counts()} sums it up. Run
 * {@code main(path)} to write the capture, as pcap with microsecond timestamps.
 */
public final class ExampleCapture {
    private ExampleCapture() {}

    /** The seed of the generator. */
    public static final long SEED = 0x6270_6634L;
    /** The timestamp of the first frame's predecessor: 2023-11-14T22:13:20Z. */
    public static final long START_NANOS = 1_700_000_000_000_000_000L;

    /** Where a truncated frame is cut. */
    public enum Truncation {
        /** Captured whole. */
        NONE,
        /** Inside the Ethernet header or its 802.1Q tag: no complete EtherType. */
        IN_ETHERNET,
        /** Inside the IPv4 or IPv6 header; the link-layer header is complete. */
        IN_IP,
        /** Inside the TCP or UDP header, before the end of the destination port; the IP header is complete. */
        IN_TRANSPORT
    }

    /**
     * One frame and what it contains. The protocol fields describe the frame as built, before any cut: check
     * {@link #truncation()} to know which headers a program can actually read.
     *
     * @param number its 1-based position in the capture, as Wireshark numbers frames
     * @param description what it is, such as {@code IPv4 TCP 10.0.0.3:49152 > 192.0.2.10:80 [SYN]}
     * @param timestampNanos its timestamp, a whole number of microseconds
     * @param data the captured bytes
     * @param originalLength its whole length (more than {@code data.length} when truncated)
     * @param vlanId the 802.1Q VLAN identifier, -1 when untagged
     * @param etherType the EtherType after any VLAN tag: 0x0800, 0x86dd or 0x0806
     * @param ipProtocol the IPv4 protocol or IPv6 next header (6, 17, 1, 58), -1 when not IP
     * @param sourcePort the TCP or UDP source port, -1 when not TCP or UDP or in a fragment without that header
     * @param destinationPort the TCP or UDP destination port, likewise
     * @param tcpFlags the TCP flags byte, -1 when there is no TCP header
     * @param ipOptions whether it is IPv4 with header options (IHL above 5)
     * @param fragment whether it is an IPv4 fragment (more-fragments flag or a non-zero offset)
     * @param truncation where it is cut, if it is
     */
    public record Frame(int number, String description, long timestampNanos, byte[] data, int originalLength,
            int vlanId, int etherType, int ipProtocol, int sourcePort, int destinationPort, int tcpFlags,
            boolean ipOptions, boolean fragment, Truncation truncation) {

        public boolean isVlanTagged() {
            return vlanId >= 0;
        }

        public boolean isIpv4() {
            return etherType == ETHERTYPE_IPV4;
        }

        public boolean isIpv6() {
            return etherType == ETHERTYPE_IPV6;
        }

        public boolean isArp() {
            return etherType == ETHERTYPE_ARP;
        }

        public boolean isTcp() {
            return ipProtocol == PROTO_TCP && !isArp();
        }

        public boolean isUdp() {
            return ipProtocol == PROTO_UDP && !isArp();
        }

        public boolean isIcmp() {
            return isIpv4() && ipProtocol == PROTO_ICMP;
        }

        public boolean isIcmpv6() {
            return isIpv6() && ipProtocol == PROTO_ICMPV6;
        }

        public boolean isTruncated() {
            return truncation != Truncation.NONE;
        }

        /** Whether it is TCP with the given destination port. */
        public boolean tcpTo(int port) {
            return isTcp() && destinationPort == port;
        }

        /** Whether it is UDP with the given destination port. */
        public boolean udpTo(int port) {
            return isUdp() && destinationPort == port;
        }

        /** Whether it is a TCP SYN without ACK: a connection attempt. */
        public boolean isTcpSyn() {
            return isTcp() && tcpFlags >= 0 && (tcpFlags & (SYN | ACK)) == SYN;
        }

        public int capturedLength() {
            return data.length;
        }

        /** The frame as a captured {@link Packet}. */
        public Packet packet() {
            return new Packet(timestampNanos, data.clone(), originalLength, 0, LinkType.ETHERNET);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.number == number && f.description.equals(description)
                    && f.timestampNanos == timestampNanos && Arrays.equals(f.data, data)
                    && f.originalLength == originalLength && f.truncation == truncation;
        }

        @Override
        public int hashCode() {
            return number * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "#" + number + " " + description + " (" + data.length + "/" + originalLength + " bytes)";
        }
    }

    /**
     * Totals of the ground truth. Every protocol count is of intact frames only, VLAN-tagged ones included;
     * truncated frames are counted only in {@code total} and the {@code truncated*} counts.
     *
     * @param total all frames
     * @param truncated frames cut short, the sum of the three next counts
     * @param truncatedInEthernet cut inside the Ethernet header or VLAN tag
     * @param truncatedInIp cut inside the IP header
     * @param truncatedInTransport cut inside the TCP or UDP header
     * @param ipv4 IPv4 frames (fragments and frames with options included)
     * @param ipv6 IPv6 frames
     * @param arp ARP frames
     * @param vlanTagged 802.1Q-tagged frames
     * @param tcp TCP over IPv4 or IPv6
     * @param udp UDP over IPv4 or IPv6, fragments included
     * @param icmp ICMP (IPv4), fragments included
     * @param icmpv6 ICMPv6
     * @param tcpToPort80 TCP with destination port 80
     * @param tcpToPort443 TCP with destination port 443
     * @param tcpSyn TCP with SYN and without ACK
     * @param dns UDP with port 53 at either end
     * @param ipv4WithOptions IPv4 with an IHL above 5
     * @param ipv4Fragments IPv4 fragments
     */
    public record Counts(int total, int truncated, int truncatedInEthernet, int truncatedInIp,
            int truncatedInTransport, int ipv4, int ipv6, int arp, int vlanTagged, int tcp, int udp, int icmp,
            int icmpv6, int tcpToPort80, int tcpToPort443, int tcpSyn, int dns, int ipv4WithOptions,
            int ipv4Fragments) {}

    /** The frames, generated afresh (a new list, new arrays) on every call, always the same. */
    public static List<Frame> frames() {
        return new Generator().generate();
    }

    /** The frames as packets. */
    public static List<Packet> packets() {
        return frames().stream().map(Frame::packet).toList();
    }

    /** The totals of {@link #frames()}. */
    public static Counts counts() {
        return counts(frames());
    }

    /** The totals of some frames. */
    public static Counts counts(List<Frame> frames) {
        List<Frame> intact = frames.stream().filter(f -> !f.isTruncated()).toList();
        return new Counts(frames.size(),
                count(frames, Frame::isTruncated),
                count(frames, f -> f.truncation() == Truncation.IN_ETHERNET),
                count(frames, f -> f.truncation() == Truncation.IN_IP),
                count(frames, f -> f.truncation() == Truncation.IN_TRANSPORT),
                count(intact, Frame::isIpv4),
                count(intact, Frame::isIpv6),
                count(intact, Frame::isArp),
                count(intact, Frame::isVlanTagged),
                count(intact, Frame::isTcp),
                count(intact, Frame::isUdp),
                count(intact, Frame::isIcmp),
                count(intact, Frame::isIcmpv6),
                count(intact, f -> f.tcpTo(80)),
                count(intact, f -> f.tcpTo(443)),
                count(intact, Frame::isTcpSyn),
                count(intact, f -> f.isUdp() && (f.sourcePort() == 53 || f.destinationPort() == 53)),
                count(intact, Frame::ipOptions),
                count(intact, Frame::fragment));
    }

    private static int count(List<Frame> frames, Predicate<Frame> p) {
        return (int) frames.stream().filter(p).count();
    }

    /** Writes the capture (pcap, microseconds, Ethernet) to a stream, which is left open. */
    public static void write(OutputStream out) throws IOException {
        var keepOpen = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (var writer = CaptureWriter.pcap(keepOpen, LinkType.ETHERNET, false)) {
            for (Frame f : frames()) {
                writer.write(0, f.timestampNanos(), f.data(), 0, f.data().length, f.originalLength());
            }
        }
    }

    /** Writes the capture (pcap, microseconds, Ethernet) to a file, creating its directory. */
    public static void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (OutputStream out = Files.newOutputStream(path)) {
            write(out);
        }
    }

    /** The bytes of the pcap file. */
    public static byte[] bytes() {
        var out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new AssertionError("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** Writes the capture to the path given, for example {@code examples/captures/mixed.pcap}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExampleCapture <output.pcap>");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        write(path);
        System.out.println("wrote " + frames().size() + " frames to " + path + ": " + counts());
    }

    // ---- generation ----

    private record Host(byte[] mac, byte[] ip) {
        boolean v6() {
            return ip.length == 16;
        }

        String text() {
            try {
                return java.net.InetAddress.getByAddress(ip).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final byte[] ROUTER_MAC = mac("02:00:00:00:00:01");

    private static Host client(int n) {
        return new Host(mac(String.format("02:00:00:00:00:%02x", n)), ipv4("10.0.0." + n));
    }

    private static Host remote(String ip) {
        return new Host(ROUTER_MAC, ip.contains(":") ? ipv6(ip) : ipv4(ip));
    }

    private static Host client6(int n) {
        return new Host(mac(String.format("02:00:00:00:00:%02x", n)), ipv6("2001:db8:1::" + Integer.toHexString(n)));
    }

    private static final class Generator {
        private final Random rnd = new Random(SEED);
        private final List<Frame> frames = new ArrayList<>();
        private long now = START_NANOS;
        private int ipId = 0x3a00;
        private int nextPort = 49152;

        List<Frame> generate() {
            List<Runnable> conversations = new ArrayList<>();
            String[] paths = {"/", "/index.html", "/about", "/api/v1/items", "/images/logo.png", "/search?q=ebpf",
                "/robots.txt", "/favicon.ico", "/docs/xdp", "/login"};
            for (int i = 0; i < 10; i++) {
                String path = paths[i];
                Host c = client(2 + i % 6);
                Host s = remote("192.0.2." + (10 + i % 4));
                conversations.add(() -> tcpFlow(c, s, -1, port(), 80, httpRequest(path, "www.example.com"),
                        httpResponse(40 + rnd.nextInt(400))));
            }
            for (int i = 0; i < 6; i++) {
                Host c = client(2 + i % 5);
                Host s = remote("198.51.100." + (20 + i));
                conversations.add(() -> tcpFlow(c, s, -1, port(), 443, tls(60 + rnd.nextInt(200)),
                        tls(200 + rnd.nextInt(900))));
            }
            conversations.add(() -> tcpFlow(client(4), remote("203.0.113.22"), -1, port(), 22,
                    ascii("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), ascii("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n")));
            conversations.add(() -> tcpFlow(client(5), remote("203.0.113.80"), -1, port(), 8080,
                    httpRequest("/metrics", "203.0.113.80:8080"), httpResponse(120)));
            int[] closed = {21, 23, 25, 110, 3306, 5432};
            for (int p : closed) {
                conversations.add(() -> synProbe(client(7), remote("203.0.113.9"), p));
            }
            String[] names = {"www.example.com", "example.org", "mail.example.net", "ntp.example.com",
                "cdn.example.org", "api.example.com"};
            for (int i = 0; i < 12; i++) {
                String name = names[i % names.length];
                int qtype = i % 3 == 2 ? 28 : 1;
                Host c = client(2 + i % 6);
                conversations.add(() -> dns(c, remote("198.51.100.53"), -1, name, qtype));
            }
            for (int i = 0; i < 4; i++) {
                Host c = client(3 + i);
                conversations.add(() -> udpExchange(c, remote("203.0.113.40"), 40000 + rnd.nextInt(100)));
            }
            for (int i = 0; i < 6; i++) {
                Host c = client(2 + i);
                int seq = i + 1;
                conversations.add(() -> ping(c, remote("192.0.2." + (1 + seq)), -1, 0x4000 + seq, seq));
            }
            conversations.add(() -> tcpFlow(client6(2), remote("2001:db8:2::80"), -1, port(), 80,
                    httpRequest("/v6", "www.example.com"), httpResponse(90)));
            conversations.add(() -> tcpFlow(client6(3), remote("2001:db8:2::443"), -1, port(), 443, tls(80),
                    tls(400)));
            for (int i = 0; i < 3; i++) {
                String name = names[i];
                Host c = client6(2 + i);
                conversations.add(() -> dns(c, remote("2001:db8:2::53"), -1, name, 28));
            }
            conversations.add(() -> udpExchange(client6(4), remote("2001:db8:2::40"), 40100 + rnd.nextInt(100)));
            for (int i = 0; i < 4; i++) {
                Host c = client6(2 + i);
                int seq = i + 1;
                conversations.add(() -> ping(c, remote("2001:db8:2::1"), -1, 0x6000 + seq, seq));
            }
            for (int i = 0; i < 5; i++) {
                Host c = client(2 + i);
                conversations.add(() -> arp(c));
            }
            conversations.add(() -> tcpFlow(client(8), remote("192.0.2.50"), 100, port(), 80,
                    httpRequest("/intranet", "intranet.example.com"), httpResponse(64)));
            conversations.add(() -> dns(client(9), remote("198.51.100.53"), 200, "printer.example.com", 1));
            conversations.add(() -> ping(client(9), remote("192.0.2.1"), 200, 0x5000, 1));
            conversations.add(() -> withOptions());
            conversations.add(() -> fragments());
            conversations.add(() -> truncated());
            Collections.shuffle(conversations, rnd);
            conversations.forEach(Runnable::run);
            return List.copyOf(frames);
        }

        private int port() {
            return nextPort++;
        }

        // ---- conversations ----

        private void tcpFlow(Host c, Host s, int vlan, int cport, int sport, byte[] request, byte[] response) {
            long ci = rnd.nextInt() & 0xffff_ffffL;
            long si = rnd.nextInt() & 0xffff_ffffL;
            byte[] synOptions = {2, 4, 0x05, (byte) 0xb4, 1, 1, 4, 2}; // MSS 1460, NOP, NOP, SACK permitted
            int req = request.length;
            int resp = response.length;
            segment(c, s, vlan, tcp(cport, sport).flags(SYN).seq(ci).window(64240).options(synOptions));
            segment(s, c, vlan, tcp(sport, cport).flags(SYN | ACK).seq(si).ack(ci + 1).window(65160)
                    .options(synOptions));
            segment(c, s, vlan, tcp(cport, sport).flags(ACK).seq(ci + 1).ack(si + 1).window(502));
            segment(c, s, vlan, tcp(cport, sport).flags(PSH | ACK).seq(ci + 1).ack(si + 1).window(502).payload(request));
            segment(s, c, vlan, tcp(sport, cport).flags(PSH | ACK).seq(si + 1).ack(ci + 1 + req).window(509)
                    .payload(response));
            segment(c, s, vlan, tcp(cport, sport).flags(ACK).seq(ci + 1 + req).ack(si + 1 + resp).window(501));
            segment(c, s, vlan, tcp(cport, sport).flags(FIN | ACK).seq(ci + 1 + req).ack(si + 1 + resp).window(501));
            segment(s, c, vlan, tcp(sport, cport).flags(FIN | ACK).seq(si + 1 + resp).ack(ci + 2 + req).window(509));
            segment(c, s, vlan, tcp(cport, sport).flags(ACK).seq(ci + 2 + req).ack(si + 2 + resp).window(501));
        }

        private void synProbe(Host c, Host s, int port) {
            long ci = rnd.nextInt() & 0xffff_ffffL;
            int cport = port();
            segment(c, s, -1, tcp(cport, port).flags(SYN).seq(ci).window(1024));
            segment(s, c, -1, tcp(port, cport).flags(RST | ACK).seq(0).ack(ci + 1).window(0));
        }

        private void dns(Host c, Host s, int vlan, String name, int qtype) {
            int id = rnd.nextInt(0x10000);
            int cport = port();
            byte[] answer = new byte[qtype == 28 ? 16 : 4];
            if (qtype == 28) {
                System.arraycopy(ipv6("2001:db8:ffff::" + Integer.toHexString(1 + rnd.nextInt(0xfff))), 0, answer, 0,
                        16);
            } else {
                System.arraycopy(ipv4("203.0.113." + (100 + rnd.nextInt(100))), 0, answer, 0, 4);
            }
            String type = qtype == 28 ? "AAAA" : "A";
            emit(c, s, vlan, PROTO_UDP, udp(cport, 53, dnsQuery(id, name, qtype)), "DNS query " + type + " " + name);
            emit(s, c, vlan, PROTO_UDP, udp(53, cport, dnsResponse(id, name, qtype, answer, 300)),
                    "DNS response " + type + " " + name);
        }

        private void udpExchange(Host c, Host s, int sport) {
            int cport = port();
            emit(c, s, -1, PROTO_UDP, udp(cport, sport, random(16 + rnd.nextInt(100))), "UDP request");
            emit(s, c, -1, PROTO_UDP, udp(sport, cport, random(16 + rnd.nextInt(200))), "UDP reply");
        }

        private void ping(Host c, Host s, int vlan, int id, int seq) {
            byte[] data = pingData(48);
            if (c.v6()) {
                emit(c, s, vlan, PROTO_ICMPV6, icmpv6Echo(true, id, seq, data), "ICMPv6 echo request");
                emit(s, c, vlan, PROTO_ICMPV6, icmpv6Echo(false, id, seq, data), "ICMPv6 echo reply");
            } else {
                emit(c, s, vlan, PROTO_ICMP, icmpEcho(true, id, seq, data), "ICMP echo request");
                emit(s, c, vlan, PROTO_ICMP, icmpEcho(false, id, seq, data), "ICMP echo reply");
            }
        }

        private void arp(Host c) {
            byte[] router = ipv4("10.0.0.1");
            add("ARP who-has 10.0.0.1 tell " + c.text(), ethernet(BROADCAST_MAC, c.mac, ETHERTYPE_ARP,
                    Frames.arp(ARP_REQUEST, c.mac, c.ip, new byte[6], router)), Integer.MAX_VALUE, Truncation.NONE);
            add("ARP 10.0.0.1 is-at 02:00:00:00:00:01", ethernet(c.mac, ROUTER_MAC, ETHERTYPE_ARP,
                    Frames.arp(ARP_REPLY, ROUTER_MAC, router, c.mac, c.ip)), Integer.MAX_VALUE, Truncation.NONE);
        }

        private void withOptions() {
            byte[] routerAlert = {(byte) 0x94, 4, 0, 0};
            Host c = client(6);
            for (int i = 0; i < 2; i++) {
                Host s = remote("192.0.2." + (60 + i));
                byte[] seg = tcp(port(), 80).flags(SYN).seq(rnd.nextInt() & 0xffff_ffffL).window(64240).build();
                emitIpv4(c, s, ipv4(c.ip, s.ip, PROTO_TCP).options(routerAlert), seg, "IPv4 with Router Alert option");
            }
            for (int i = 0; i < 2; i++) {
                Host s = remote("203.0.113.41");
                emitIpv4(c, s, ipv4(c.ip, s.ip, PROTO_UDP).options(routerAlert),
                        udp(port(), 40200 + i, random(24)), "IPv4 with Router Alert option");
            }
            for (int i = 0; i < 2; i++) {
                Host s = remote("192.0.2.70");
                byte[] recordRoute = {7, 11, 8, 10, 0, 0, 1, 0, 0, 0, 0}; // one address recorded, room for two
                emitIpv4(c, s, ipv4(c.ip, s.ip, PROTO_ICMP).options(recordRoute),
                        icmpEcho(true, 0x7000, i + 1, pingData(32)), "IPv4 with Record Route option");
            }
        }

        private void fragments() {
            Host c = client(3);
            Host s = remote("192.0.2.90");
            byte[] big = pingData(3000);
            byte[] request = ipv4(c.ip, s.ip, PROTO_ICMP).id(nextId()).ttl(64).build(icmpEcho(true, 0x7100, 1, big));
            byte[] reply = ipv4(s.ip, c.ip, PROTO_ICMP).id(nextId()).ttl(56).build(icmpEcho(false, 0x7100, 1, big));
            byte[] udpBig = ipv4(c.ip, s.ip, PROTO_UDP).id(nextId()).build(udp(port(), 40300, random(2000)));
            for (byte[] packet : List.of(request, reply, udpBig)) {
                boolean fromClient = Arrays.equals(Arrays.copyOfRange(packet, 12, 16), c.ip);
                Host from = fromClient ? c : s;
                Host to = fromClient ? s : c;
                for (byte[] f : fragment(packet, 1480)) {
                    add("IPv4 fragment", ethernet(to.mac, from.mac, ETHERTYPE_IPV4, f), Integer.MAX_VALUE,
                            Truncation.NONE);
                }
            }
        }

        private void truncated() {
            Host c = client(2);
            Host s = remote("192.0.2.10");
            Host c6 = client6(2);
            Host s6 = remote("2001:db8:2::80");
            Host dns6 = remote("2001:db8:2::53");
            byte[] syn = tcp(port(), 80).flags(SYN).seq(1).window(64240).build();
            add("truncated in the Ethernet header", frame(c, s, -1, PROTO_TCP, syn, 64), 10, Truncation.IN_ETHERNET);
            add("truncated in the Ethernet header", frame(c6, dns6, -1, PROTO_UDP,
                    udp(port(), 53, dnsQuery(0x1234, "example.org", 28)), 64), 13, Truncation.IN_ETHERNET);
            add("truncated in the VLAN tag", frame(c, s, 100, PROTO_UDP, udp(port(), 40000, random(20)), 64),
                    16, Truncation.IN_ETHERNET);
            byte[] get = tcp(port(), 80).flags(PSH | ACK).seq(1).ack(1).payload(httpRequest("/", "x.example")).build();
            add("truncated in the IPv4 header", frame(c, s, -1, PROTO_TCP, get, 64), 14 + 12, Truncation.IN_IP);
            byte[] tls = tcp(port(), 443).flags(PSH | ACK).seq(1).ack(1).payload(tls(64)).build();
            add("truncated in the IPv6 header", frame(c6, s6, -1, PROTO_TCP, tls, 64), 14 + 30, Truncation.IN_IP);
            add("truncated in the TCP header", frame(c, s, -1, PROTO_TCP, get, 64), 14 + 20 + 3,
                    Truncation.IN_TRANSPORT);
            byte[] query = udp(port(), 53, dnsQuery(0x4321, "example.com", 1));
            add("truncated in the UDP header", frame(c, remote("198.51.100.53"), -1, PROTO_UDP, query, 64),
                    14 + 20 + 2, Truncation.IN_TRANSPORT);
            add("truncated in the TCP header", frame(c6, s6, -1, PROTO_TCP, syn, 64), 14 + 40 + 1,
                    Truncation.IN_TRANSPORT);
        }

        // ---- frames ----

        private void segment(Host from, Host to, int vlan, Tcp segment) {
            emit(from, to, vlan, PROTO_TCP, segment.build(), "TCP");
        }

        private void emit(Host from, Host to, int vlan, int protocol, byte[] l4, String what) {
            add(what, frame(from, to, vlan, protocol, l4, from.mac == ROUTER_MAC ? 52 : 64), Integer.MAX_VALUE,
                    Truncation.NONE);
        }

        private void emitIpv4(Host from, Host to, Ipv4 header, byte[] l4, String what) {
            add(what, ethernet(to.mac, from.mac, ETHERTYPE_IPV4, header.id(nextId()).build(l4)), Integer.MAX_VALUE,
                    Truncation.NONE);
        }

        private byte[] frame(Host from, Host to, int vlan, int protocol, byte[] l4, int ttl) {
            byte[] l3;
            int etherType;
            if (from.v6()) {
                l3 = ipv6(from.ip, to.ip, protocol).hopLimit(ttl).build(l4);
                etherType = ETHERTYPE_IPV6;
            } else {
                l3 = ipv4(from.ip, to.ip, protocol).ttl(ttl).id(nextId()).dontFragment(protocol == PROTO_TCP)
                        .build(l4);
                etherType = ETHERTYPE_IPV4;
            }
            return vlan >= 0 ? vlan(to.mac, from.mac, vlan, 0, etherType, l3) : ethernet(to.mac, from.mac, etherType, l3);
        }

        private int nextId() {
            ipId = (ipId + 1 + rnd.nextInt(8)) & 0xffff;
            return ipId;
        }

        /** Adds a frame, cut to {@code captured} bytes, describing it from its own headers. */
        private void add(String what, byte[] full, int captured, Truncation truncation) {
            now += (1 + rnd.nextInt(4000)) * 1_000L;
            byte[] data = Frames.truncate(full, captured);
            frames.add(describe(frames.size() + 1, what, now, full, data, truncation));
        }

        // ---- payloads ----

        private byte[] random(int n) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            return b;
        }

        private byte[] tls(int n) {
            byte[] record = new byte[5 + n];
            record[0] = 23; // application data
            record[1] = 3;
            record[2] = 3;
            be16(record, 3, n);
            byte[] body = random(n);
            System.arraycopy(body, 0, record, 5, n);
            return record;
        }

        private byte[] httpResponse(int bodyLength) {
            StringBuilder body = new StringBuilder();
            while (body.length() < bodyLength) {
                body.append("bpf4j example body ").append(rnd.nextInt(1000)).append('\n');
            }
            body.setLength(bodyLength);
            return ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bodyLength + "\r\n\r\n"
                    + body);
        }
    }

    private static byte[] httpRequest(String path, String host) {
        return ascii("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: bpf4j-example\r\nAccept: */*\r\n\r\n");
    }

    private static byte[] pingData(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0x10 + i);
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- ground truth, read back from the frame as built ----

    private static Frame describe(int number, String what, long ts, byte[] full, byte[] data, Truncation truncation) {
        int vlan = -1;
        int etherType = u16(full, 12);
        int l3 = ETHERNET_HEADER;
        if (etherType == ETHERTYPE_VLAN) {
            vlan = u16(full, 14) & 0xfff;
            etherType = u16(full, 16);
            l3 += VLAN_TAG;
        }
        int protocol = -1;
        int sport = -1;
        int dport = -1;
        int flags = -1;
        boolean options = false;
        boolean fragment = false;
        String src = "";
        String dst = "";
        int l4 = -1;
        try {
            if (etherType == ETHERTYPE_IPV4) {
                int ihl = (full[l3] & 0x0f) * 4;
                options = ihl > IPV4_HEADER;
                protocol = full[l3 + 9] & 0xff;
                int frag = u16(full, l3 + 6);
                fragment = (frag & 0x3fff) != 0;
                if ((frag & 0x1fff) == 0) {
                    l4 = l3 + ihl;
                }
                src = java.net.InetAddress.getByAddress(Arrays.copyOfRange(full, l3 + 12, l3 + 16)).getHostAddress();
                dst = java.net.InetAddress.getByAddress(Arrays.copyOfRange(full, l3 + 16, l3 + 20)).getHostAddress();
            } else if (etherType == ETHERTYPE_IPV6) {
                protocol = full[l3 + 6] & 0xff;
                l4 = l3 + IPV6_HEADER;
                src = java.net.InetAddress.getByAddress(Arrays.copyOfRange(full, l3 + 8, l3 + 24)).getHostAddress();
                dst = java.net.InetAddress.getByAddress(Arrays.copyOfRange(full, l3 + 24, l3 + 40)).getHostAddress();
            }
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
        if (l4 >= 0 && (protocol == PROTO_TCP || protocol == PROTO_UDP)) {
            sport = u16(full, l4);
            dport = u16(full, l4 + 2);
            if (protocol == PROTO_TCP) {
                flags = full[l4 + 13] & 0xff;
            }
        }
        StringBuilder d = new StringBuilder();
        if (vlan >= 0) {
            d.append("VLAN ").append(vlan).append(' ');
        }
        switch (etherType) {
            case ETHERTYPE_IPV4 -> d.append("IPv4 ");
            case ETHERTYPE_IPV6 -> d.append("IPv6 ");
            default -> { }
        }
        d.append(switch (protocol) {
            case PROTO_TCP -> "TCP ";
            case PROTO_UDP -> "UDP ";
            case PROTO_ICMP -> "ICMP ";
            case PROTO_ICMPV6 -> "ICMPv6 ";
            default -> "";
        });
        if (sport >= 0) {
            d.append(src.contains(":") ? "[" + src + "]" : src).append(':').append(sport).append(" > ")
                    .append(dst.contains(":") ? "[" + dst + "]" : dst).append(':').append(dport);
        } else if (!src.isEmpty()) {
            d.append(src).append(" > ").append(dst);
        }
        if (flags >= 0) {
            d.append(" [").append(tcpFlags(flags)).append(']');
        }
        if (!what.equals("TCP")) {
            d.append(d.isEmpty() ? "" : ": ").append(what);
        }
        return new Frame(number, d.toString().strip(), ts, data, full.length, vlan, etherType,
                etherType == ETHERTYPE_ARP ? -1 : protocol, sport, dport, flags, options, fragment, truncation);
    }

    private static String tcpFlags(int flags) {
        List<String> names = new ArrayList<>();
        String[] all = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
        for (int i = 0; i < all.length; i++) {
            if ((flags & (1 << i)) != 0) {
                names.add(all[i]);
            }
        }
        return String.join(", ", names);
    }
}
