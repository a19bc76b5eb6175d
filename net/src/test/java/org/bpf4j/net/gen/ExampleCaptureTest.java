package org.bpf4j.net.gen;

import static org.bpf4j.net.gen.Frames.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bpf4j.net.capture.CaptureFormat;
import org.bpf4j.net.capture.CaptureReader;
import org.bpf4j.net.capture.LinkType;
import org.bpf4j.net.capture.Packet;
import org.bpf4j.net.gen.ExampleCapture.Counts;
import org.bpf4j.net.gen.ExampleCapture.Frame;
import org.bpf4j.net.gen.ExampleCapture.Truncation;
import org.bpf4j.net.testing.Tshark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example capture: reproducible, well formed where meant to be, and described exactly by its ground truth. */
class ExampleCaptureTest {
    @TempDir
    Path dir;

    private static final List<Frame> FRAMES = ExampleCapture.frames();

    @Test
    void generatingTwiceGivesIdenticalBytes() throws IOException {
        byte[] first = ExampleCapture.bytes();
        byte[] second = ExampleCapture.bytes();
        assertArrayEquals(first, second);
        assertEquals(FRAMES, ExampleCapture.frames());
        Path f = dir.resolve("out/mixed.pcap");
        ExampleCapture.main(new String[] {f.toString()});
        assertArrayEquals(first, Files.readAllBytes(f));
    }

    @Test
    void theGroundTruthCountsAreThese() {
        assertEquals(new Counts(297, 8, 3, 2, 3, 245, 34, 10, 13, 203, 46, 22, 8, 74, 42, 29, 32, 6, 8),
                ExampleCapture.counts());
        assertEquals(ExampleCapture.counts(), ExampleCapture.counts(FRAMES));
    }

    @Test
    void framesAreNumberedAndTimestampedInWholeIncreasingMicroseconds() {
        long previous = ExampleCapture.START_NANOS;
        for (int i = 0; i < FRAMES.size(); i++) {
            Frame f = FRAMES.get(i);
            assertEquals(i + 1, f.number());
            assertTrue(f.timestampNanos() > previous, f.toString());
            assertEquals(0, f.timestampNanos() % 1000, f.toString());
            previous = f.timestampNanos();
        }
    }

    @Test
    void readingTheCaptureGivesTheFramesBack() throws IOException {
        try (var reader = CaptureReader.open(ExampleCapture.bytes(), "mixed.pcap",
                org.bpf4j.net.capture.TruncationPolicy.FAIL)) {
            assertEquals(CaptureFormat.PCAP, reader.format());
            assertEquals(LinkType.ETHERNET, reader.interfaces().getFirst().linkType());
            assertEquals(ExampleCapture.packets(), reader.stream().toList());
        }
    }

    private static int l3(Frame f) {
        return ETHERNET_HEADER + (f.isVlanTagged() ? VLAN_TAG : 0);
    }

    @Test
    void intactFramesHaveCorrectChecksums() {
        for (Frame f : FRAMES) {
            if (f.isTruncated() || f.isArp()) {
                continue;
            }
            byte[] ip = java.util.Arrays.copyOfRange(f.data(), l3(f), f.data().length);
            if (f.isIpv4()) {
                assertTrue(ipv4HeaderChecksumValid(ip), f.toString());
            }
            if (f.fragment()) {
                continue;
            }
            if (f.isTcp() || f.isUdp() || f.isIcmpv6()) {
                assertTrue(transportChecksumValid(ip), f.toString());
            } else if (f.isIcmp()) {
                int ihl = (ip[0] & 0x0f) * 4;
                assertEquals(0, checksum(ip, ihl, ip.length - ihl), f.toString());
            }
        }
    }

    @Test
    void truncatedFramesAreCutInsideTheStatedHeader() {
        for (Frame f : FRAMES) {
            int n = f.capturedLength();
            int l3 = l3(f);
            int ipHeader = f.isIpv6() ? IPV6_HEADER : (f.data().length > l3 ? (f.data()[l3] & 0x0f) * 4 : 20);
            switch (f.truncation()) {
                case NONE -> assertEquals(f.originalLength(), n, f.toString());
                case IN_ETHERNET -> assertTrue(n < l3, f.toString());
                case IN_IP -> assertTrue(n >= l3 && n < l3 + ipHeader, f.toString());
                case IN_TRANSPORT -> assertTrue(n >= l3 + ipHeader && n < l3 + ipHeader + 4
                        && (f.isTcp() || f.isUdp()), f.toString());
            }
            assertTrue(f.originalLength() >= n);
        }
    }

    @Test
    void everyKindOfFrameIsThere() {
        assertTrue(FRAMES.size() >= 250 && FRAMES.size() <= 350);
        Set<Truncation> cuts = FRAMES.stream().map(Frame::truncation).collect(Collectors.toSet());
        assertEquals(Set.of(Truncation.values()), cuts);
        assertTrue(FRAMES.stream().anyMatch(f -> f.isIpv6() && f.isUdp() && !f.isTruncated()));
        assertTrue(FRAMES.stream().anyMatch(f -> f.isIpv6() && f.tcpTo(443) && !f.isTruncated()));
        assertTrue(FRAMES.stream().anyMatch(f -> f.isVlanTagged() && f.tcpTo(80) && !f.isTruncated()));
        assertTrue(FRAMES.stream().anyMatch(f -> f.isTcp() && f.tcpFlags() == (PSH | ACK) && f.data().length > 100));
        assertTrue(FRAMES.stream().anyMatch(f -> f.isTcp() && (f.tcpFlags() & RST) != 0));
        assertTrue(FRAMES.stream().filter(Frame::isUdp).map(Frame::destinationPort).distinct().count() > 5);
        assertTrue(FRAMES.stream().filter(Frame::isTcp).map(Frame::destinationPort).distinct().count() > 5);
    }

    // ---- against tshark ----

    private Path written() throws IOException {
        Path f = dir.resolve("mixed.pcap");
        ExampleCapture.write(f);
        return f;
    }

    private static final List<String> CHECK_CHECKSUMS = List.of("-o", "ip.check_checksum:TRUE", "-o",
            "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE");

    private static Set<Integer> numbers(List<String[]> rows) {
        return rows.stream().map(r -> Integer.parseInt(r[0])).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void tsharkFindsNothingMalformedAndOnlyTheTruncatedFramesShort() throws IOException {
        Tshark.assumeInstalled();
        Path f = written();
        List<String> bad = new ArrayList<>(CHECK_CHECKSUMS);
        bad.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity >= 0x00800000"));
        Set<Integer> truncated = FRAMES.stream().filter(Frame::isTruncated).map(Frame::number)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Integer> malformed = numbers(Tshark.fields(f, bad, "frame.number"));
        assertTrue(truncated.containsAll(malformed), "malformed or in error: " + malformed);
        assertEquals(truncated, numbers(Tshark.fields(f, List.of("-Y", "_ws.short"), "frame.number")));
    }

    @Test
    void tsharkValidatesEveryChecksum() throws IOException {
        Tshark.assumeInstalled();
        List<String[]> rows = Tshark.fields(written(), CHECK_CHECKSUMS, "frame.number", "ip.checksum.status",
                "tcp.checksum.status", "udp.checksum.status", "icmp.checksum.status", "icmpv6.checksum.status");
        int checked = 0;
        for (String[] r : rows) {
            Frame f = FRAMES.get(Integer.parseInt(r[0]) - 1);
            for (int i = 1; i < r.length; i++) {
                if (!r[i].isEmpty() && !f.isTruncated()) {
                    assertEquals("1", r[i], f + ": checksum status (1 is good) of column " + i);
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "checksums checked: " + checked);
    }

    @Test
    void tsharkDissectsWhatTheGroundTruthSays() throws IOException {
        Tshark.assumeInstalled();
        List<String[]> rows = Tshark.fields(written(), List.of("-o", "ip.defragment:FALSE"), "frame.number",
                "vlan.id", "eth.type", "vlan.etype", "ip.proto", "ipv6.nxt", "ip.hdr_len", "ip.flags.mf",
                "ip.frag_offset", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "tcp.flags", "arp.opcode");
        assertEquals(FRAMES.size(), rows.size());
        for (String[] r : rows) {
            Frame f = FRAMES.get(Integer.parseInt(r[0]) - 1);
            if (f.isTruncated()) {
                continue;
            }
            String what = f.toString();
            assertEquals(f.isVlanTagged() ? String.valueOf(f.vlanId()) : "", r[1], what);
            assertEquals(f.etherType(), Integer.decode(f.isVlanTagged() ? r[3] : r[2]), what);
            assertEquals(f.isArp(), !r[14].isEmpty(), what);
            if (f.isIpv4()) {
                assertEquals(f.ipProtocol(), Integer.parseInt(r[4]), what);
                assertEquals(f.ipOptions(), Integer.parseInt(r[6]) > 20, what);
                assertEquals(f.fragment(), r[7].equals("1") || !r[8].equals("0"), what);
            } else if (f.isIpv6()) {
                assertEquals(f.ipProtocol(), Integer.parseInt(r[5]), what);
            }
            boolean tcp = !r[9].isEmpty();
            boolean udp = !r[11].isEmpty();
            if (!f.fragment()) {
                assertEquals(f.isTcp(), tcp, what);
                assertEquals(f.isUdp(), udp, what);
            }
            if (tcp || udp) {
                assertEquals(f.sourcePort(), Integer.parseInt(tcp ? r[9] : r[11]), what);
                assertEquals(f.destinationPort(), Integer.parseInt(tcp ? r[10] : r[12]), what);
            }
            if (tcp) {
                assertEquals(f.tcpFlags(), Integer.decode(r[13]) & 0xff, what);
            }
        }
    }

    @Test
    void theCommittedExampleCaptureMatchesTheGenerator() throws IOException {
        Path committed = Path.of("../examples/captures/mixed.pcap");
        Assumptions.assumeTrue(Files.exists(committed), "examples/captures/mixed.pcap is not committed yet: "
                + "write it with ExampleCapture.main");
        assertArrayEquals(ExampleCapture.bytes(), Files.readAllBytes(committed),
                "examples/captures/mixed.pcap differs from what ExampleCapture generates: regenerate it");
    }

    @Test
    void framesConvertToPackets() {
        Frame f = FRAMES.getFirst();
        Packet p = f.packet();
        assertEquals(f.timestampNanos(), p.timestampNanos());
        assertArrayEquals(f.data(), p.data());
        assertEquals(f.originalLength(), p.originalLength());
        assertEquals(LinkType.ETHERNET, p.linkType());
    }
}
