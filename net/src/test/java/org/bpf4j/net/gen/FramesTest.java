package org.bpf4j.net.gen;

import static org.bpf4j.net.gen.Frames.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The packet builders: layouts, lengths and checksums. */
class FramesTest {
    private static final byte[] A4 = ipv4("10.0.0.1");
    private static final byte[] B4 = ipv4("192.0.2.80");
    private static final byte[] A6 = ipv6("2001:db8:1::1");
    private static final byte[] B6 = ipv6("2001:db8:2::80");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void theInternetChecksumMatchesTheRfc1071Example() {
        // RFC 1071, section 3: the ones' complement sum of 0001 f203 f4f5 f6f7 is ddf2.
        assertEquals(~0xddf2 & 0xffff, checksum(hex("0001 f203 f4f5 f6f7"), 0, 8));
        assertEquals(~0xddf2 & 0xffff, checksum(hex("ff 0001 f203 f4f5 f6f7"), 1, 8));
        assertEquals(checksum(hex("0102 0300"), 0, 4), checksum(hex("0102 03"), 0, 3), "an odd byte is padded");
    }

    @Test
    void anIpv4HeaderGetsTheWellKnownChecksum() {
        // The classic example header: 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7.
        byte[] p = Frames.ipv4(ipv4("192.168.0.1"), ipv4("192.168.0.199"), PROTO_UDP).dontFragment(true).ttl(64)
                .transportChecksum(false).build(new byte[0x73 - 20]);
        assertArrayEquals(hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7"), Arrays.copyOf(p, 20));
        assertTrue(ipv4HeaderChecksumValid(p));
    }

    @Test
    void ipv4FieldsAndOptionsAreLaidOut() {
        byte[] p = Frames.ipv4(A4, B4, PROTO_ICMP).id(0x1234).tos(0x10).ttl(7).moreFragments(true)
                .fragmentOffset(1480).options(new byte[] {(byte) 0x94, 4, 0, 0, 1}).build(new byte[16]);
        assertEquals(0x47, p[0] & 0xff, "IHL 7: 20 + 8 bytes of options (5, padded)");
        assertEquals(0x10, p[1]);
        assertEquals(28 + 16, u16(p, 2));
        assertEquals(0x1234, u16(p, 4));
        assertEquals(0x2000 | 185, u16(p, 6));
        assertEquals(7, p[8]);
        assertEquals(PROTO_ICMP, p[9]);
        assertArrayEquals(hex("9404 0000 0100 0000"), Arrays.copyOfRange(p, 20, 28));
        assertTrue(ipv4HeaderChecksumValid(p));
        assertThrows(IllegalArgumentException.class, () -> Frames.ipv4(A4, B4, 6).fragmentOffset(3));
        assertThrows(IllegalArgumentException.class, () -> Frames.ipv4(A4, B4, 6).options(new byte[41]));
    }

    @Test
    void ethernetAndVlanFramesAreLaidOut() {
        byte[] dst = mac("02:00:00:00:00:02");
        byte[] src = mac("02-00-00-00-00-01");
        byte[] e = ethernet(dst, src, ETHERTYPE_IPV6, hex("aabb"));
        assertArrayEquals(hex("020000000002 020000000001 86dd aabb"), e);
        byte[] v = vlan(dst, src, 100, 5, ETHERTYPE_IPV4, hex("cc"));
        assertArrayEquals(hex("020000000002 020000000001 8100 a064 0800 cc"), v);
        assertThrows(IllegalArgumentException.class, () -> vlan(dst, src, 4096, 0, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> ethernet(new byte[5], src, 0, new byte[0]));
    }

    @Test
    void arpMessagesAreLaidOut() {
        byte[] a = arp(ARP_REQUEST, mac("02:00:00:00:00:02"), A4, new byte[6], B4);
        assertArrayEquals(hex("0001 0800 06 04 0001 020000000002 0a000001 000000000000 c0000250"), a);
    }

    @Test
    void tcpHeadersCarryTheirFieldsAndOptions() {
        byte[] s = tcp(40000, 80).seq(0xfffffffeL).ack(7).flags(SYN | ACK).window(1024).urgent(3)
                .options(new byte[] {2, 4, 5, (byte) 0xb4, 1}).payload(hex("4142")).build();
        assertArrayEquals(hex("9c40 0050 fffffffe 00000007 70 12 0400 0000 0003 020405b4 01000000 4142"), s);
    }

    @Test
    void udpAndEchoMessagesAreLaidOut() {
        assertArrayEquals(hex("0035 d431 000a 0000 abcd"), udp(53, 54321, hex("abcd")));
        byte[] echo = icmpEcho(true, 0x1234, 1, hex("0102"));
        assertEquals(8, echo[0]);
        assertEquals(0, checksum(echo, 0, echo.length), "the checksum makes the sum all ones");
        assertEquals(0, icmpEcho(false, 1, 1, new byte[0])[0]);
        assertEquals(128 - 256, icmpv6Echo(true, 1, 1, new byte[0])[0]);
    }

    @Test
    void dnsMessagesAreEncoded() {
        assertArrayEquals(hex("abcd 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001"),
                dnsQuery(0xabcd, "example.com", 1));
        byte[] r = dnsResponse(0xabcd, "example.com", 1, A4, 300);
        assertArrayEquals(hex("abcd 8180 0001 0001 0000 0000"), Arrays.copyOf(r, 12));
        assertArrayEquals(hex("c00c 0001 0001 0000012c 0004 0a000001"), Arrays.copyOfRange(r, r.length - 16, r.length));
    }

    @Property(tries = 300)
    void transportChecksumsAreCorrectOverIpv4AndIpv6(@ForAll @Size(max = 1500) byte[] payload,
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll boolean v6, @ForAll @IntRange(min = 0) int flip) {
        int protocol = switch (kind) {
            case 0 -> PROTO_TCP;
            case 1 -> PROTO_UDP;
            default -> v6 ? PROTO_ICMPV6 : PROTO_TCP;
        };
        byte[] l4 = switch (protocol) {
            case PROTO_TCP -> tcp(1234, 80).seq(flip).flags(ACK).payload(payload).build();
            case PROTO_UDP -> udp(5353, 53, payload);
            default -> icmpv6Echo(true, 1, 2, payload);
        };
        byte[] p = v6 ? Frames.ipv6(A6, B6, protocol).build(l4) : Frames.ipv4(A4, B4, protocol).build(l4);
        assertTrue(transportChecksumValid(p));
        if (!v6) {
            assertTrue(ipv4HeaderChecksumValid(p));
        }
        int l3 = v6 ? IPV6_HEADER : IPV4_HEADER;
        int checksumAt = l3 + (protocol == PROTO_TCP ? 16 : protocol == PROTO_UDP ? 6 : 2);
        int at = l3 + flip % (p.length - l3);
        if (at != checksumAt && at != checksumAt + 1) {
            p[at] ^= (byte) (1 << (flip % 8));
            assertFalse(transportChecksumValid(p), "a flipped bit breaks the checksum");
        }
    }

    @Test
    void aUdpChecksumComputedAsZeroIsSentAsAllOnes() {
        for (int tail = 0; tail < 0x10000; tail++) {
            byte[] payload = {(byte) (tail >>> 8), (byte) tail};
            byte[] p = Frames.ipv4(A4, B4, PROTO_UDP).build(udp(1, 2, payload));
            if (u16(p, 26) == 0xffff) {
                assertTrue(transportChecksumValid(p));
                return;
            }
        }
        throw new AssertionError("no payload gives a zero checksum");
    }

    @Test
    void fragmentsCarryThePayloadAndTheCopiedOptions() {
        byte[] routerAlert = {(byte) 0x94, 4, 0, 0}; // copied into every fragment
        byte[] recordRoute = {7, 7, 4, 0, 0, 0, 0}; // first fragment only
        byte[] datagram = udp(1000, 2000, new byte[3000]);
        byte[] packet = Frames.ipv4(A4, B4, PROTO_UDP).id(77).options(Frames.concat(routerAlert, recordRoute))
                .build(datagram);
        byte[] complete = Arrays.copyOfRange(packet, 32, packet.length);
        List<byte[]> fragments = fragment(packet, 1400);
        assertEquals(3, fragments.size());
        var payload = new ByteArrayOutputStream();
        for (int i = 0; i < fragments.size(); i++) {
            byte[] f = fragments.get(i);
            int ihl = (f[0] & 0x0f) * 4;
            assertEquals(i == 0 ? 32 : 24, ihl);
            assertArrayEquals(routerAlert, Arrays.copyOfRange(f, 20, 24));
            assertEquals(77, u16(f, 4));
            assertEquals((i < 2 ? 0x2000 : 0) | i * 1400 / 8, u16(f, 6));
            assertEquals(f.length, u16(f, 2));
            assertTrue(ipv4HeaderChecksumValid(f));
            payload.writeBytes(Arrays.copyOfRange(f, ihl, f.length));
        }
        assertArrayEquals(complete, payload.toByteArray());
        assertThrows(IllegalArgumentException.class, () -> fragment(fragments.get(0), 1400));
    }

    @Test
    void truncatingKeepsThePrefix() {
        assertArrayEquals(hex("0102"), truncate(hex("010203"), 2));
        assertArrayEquals(hex("010203"), truncate(hex("010203"), 9));
    }
}
