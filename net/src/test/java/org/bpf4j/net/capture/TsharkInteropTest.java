package org.bpf4j.net.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bpf4j.net.gen.ExampleCapture;
import org.bpf4j.net.testing.Tshark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our files read by tshark, and files written by Wireshark's tools (editcap, mergecap, text2pcap) read by us:
 * same packet count, lengths, timestamps at full resolution and bytes.
 */
class TsharkInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsTshark() {
        Tshark.assumeInstalled();
    }

    /** The example frames with nanosecond timestamps. */
    private static List<Packet> packets() {
        Random rnd = new Random(7);
        List<Packet> packets = new ArrayList<>();
        for (Packet p : ExampleCapture.packets()) {
            packets.add(new Packet(p.timestampNanos() + rnd.nextInt(1000), p.data(), p.originalLength(), 0,
                    p.linkType()));
        }
        return packets;
    }

    private static void assertSame(List<Packet> ours, List<Tshark.Frame> theirs, String what) {
        assertEquals(ours.size(), theirs.size(), what + ": packet count");
        for (int i = 0; i < ours.size(); i++) {
            Packet p = ours.get(i);
            Tshark.Frame f = theirs.get(i);
            String frame = what + ", frame " + (i + 1);
            assertEquals(p.timestampNanos(), f.timestampNanos(), frame + ": timestamp");
            assertEquals(p.originalLength(), f.length(), frame + ": length");
            assertEquals(p.capturedLength(), f.capturedLength(), frame + ": captured length");
            assertEquals(p.interfaceIndex(), f.interfaceId(), frame + ": interface");
            assertArrayEquals(p.data(), f.data(), frame + ": bytes");
        }
    }

    private static List<Packet> expected(List<Packet> packets, boolean nanos) {
        return packets.stream().map(p -> nanos ? p : new Packet(p.timestampNanos() / 1000 * 1000, p.data(),
                p.originalLength(), p.interfaceIndex(), p.linkType())).toList();
    }

    private Path write(String name, boolean pcapng, boolean nanos, List<Packet> packets) throws IOException {
        Path f = dir.resolve(name);
        try (var w = pcapng ? CaptureWriter.pcapng(f, LinkType.ETHERNET, nanos)
                : CaptureWriter.pcap(f, LinkType.ETHERNET, nanos)) {
            for (Packet p : packets) {
                w.write(p);
            }
        }
        return f;
    }

    @ParameterizedTest(name = "{0}, nanoseconds: {1}")
    @CsvSource({"pcap, false", "pcap, true", "pcapng, false", "pcapng, true"})
    void tsharkReadsOurFilesIdentically(String format, boolean nanos) throws IOException {
        List<Packet> packets = packets();
        Path f = write("ours." + format, format.equals("pcapng"), nanos, packets);
        assertSame(expected(packets, nanos), Tshark.frames(f), f.getFileName().toString());
        assertSame(CaptureReader.readAll(f), Tshark.frames(f), "read back by us");
    }

    @Test
    void tsharkReadsOurPcapngInterfacesAndLinkTypes() throws IOException {
        Path f = dir.resolve("interfaces.pcapng");
        List<Packet> packets = new ArrayList<>();
        List<Packet> example = packets();
        try (var w = CaptureWriter.pcapng(f, true, LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4)) {
            for (int i = 0; i < 60; i++) {
                Packet e = example.get(i);
                byte[] data = e.data();
                int iface = i % 3;
                boolean ipv4 = data.length > 34 && (data[12] & 0xff) == 0x08 && data[13] == 0;
                if (iface > 0 && ipv4) {
                    data = java.util.Arrays.copyOfRange(data, 14, data.length); // the IPv4 packet alone
                } else {
                    iface = 0;
                }
                Packet p = new Packet(e.timestampNanos(), data, data.length, iface,
                        new int[] {LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4}[iface]);
                w.write(p);
                packets.add(p);
            }
        }
        assertTrue(packets.stream().anyMatch(p -> p.interfaceIndex() == 2));
        assertSame(packets, Tshark.frames(f), "three interfaces");
        // tshark dissects the raw interfaces as IPv4 from the first byte: the link types were understood.
        List<String[]> rows = Tshark.fields(f, List.of(), "frame.interface_id", "ip.src");
        for (int i = 0; i < packets.size(); i++) {
            Packet p = packets.get(i);
            assertEquals(String.valueOf(p.interfaceIndex()), rows.get(i)[0]);
            if (p.interfaceIndex() > 0) {
                byte[] src = java.util.Arrays.copyOfRange(p.data(), 12, 16);
                assertEquals(java.net.InetAddress.getByAddress(src).getHostAddress(), rows.get(i)[1]);
            }
        }
    }

    // ---- files written by Wireshark's tools ----

    @ParameterizedTest(name = "editcap -F {0}")
    @CsvSource({"pcapng", "nsecpcap", "pcap"})
    void weReadWhatEditcapWrites(String type) throws IOException {
        Tshark.assumeTool("editcap");
        List<Packet> packets = packets();
        Path ours = write("ours.pcapng", true, true, packets);
        Path theirs = dir.resolve("editcap." + type);
        Tshark.run("editcap", "-F", type, ours.toString(), theirs.toString());
        List<Packet> read = CaptureReader.readAll(theirs);
        assertSame(read, Tshark.frames(theirs), "editcap -F " + type);
        if (!type.equals("pcap")) {
            assertEquals(packets, read);
        }
        try (var reader = CaptureReader.open(theirs)) {
            assertEquals(type.equals("pcapng") ? CaptureFormat.PCAPNG : CaptureFormat.PCAP, reader.format());
        }
    }

    @Test
    void weReadWhatEditcapCutsToASnapshotLength() throws IOException {
        Tshark.assumeTool("editcap");
        Path ours = write("ours.pcap", false, false, packets());
        Path cut = dir.resolve("cut.pcapng");
        Tshark.run("editcap", "-s", "40", "-F", "pcapng", ours.toString(), cut.toString());
        List<Packet> read = CaptureReader.readAll(cut);
        assertTrue(read.stream().allMatch(p -> p.capturedLength() <= 40));
        assertTrue(read.stream().anyMatch(Packet::truncated));
        assertSame(read, Tshark.frames(cut), "editcap -s 40");
    }

    @Test
    void weReadWhatMergecapWritesWithSeveralInterfaces() throws IOException {
        Tshark.assumeTool("mergecap");
        List<Packet> example = packets();
        Path ethernet = write("a.pcap", false, false, example.subList(0, 50));
        Path raw = dir.resolve("b.pcap");
        try (var w = CaptureWriter.pcap(raw, LinkType.RAW, true)) {
            for (Packet p : example.subList(50, 100)) {
                if (p.capturedLength() > 14) {
                    w.write(p.timestampNanos(), java.util.Arrays.copyOfRange(p.data(), 14, p.data().length));
                }
            }
        }
        Path merged = dir.resolve("merged.pcapng");
        Tshark.run("mergecap", "-F", "pcapng", "-w", merged.toString(), ethernet.toString(), raw.toString());
        try (var reader = CaptureReader.open(merged)) {
            List<Packet> read = reader.stream().toList();
            assertEquals(2, reader.interfaces().size());
            assertEquals(List.of(LinkType.ETHERNET, LinkType.RAW),
                    reader.interfaces().stream().map(CaptureInterface::linkType).toList());
            assertTrue(read.stream().anyMatch(p -> p.interfaceIndex() == 1 && p.linkType() == LinkType.RAW));
            assertSame(read, Tshark.frames(merged), "mergecap");
        }
    }

    @ParameterizedTest(name = "text2pcap -F {0}")
    @CsvSource({"pcapng", "pcap"})
    void weReadWhatText2pcapWrites(String type) throws IOException {
        Tshark.assumeTool("text2pcap");
        StringBuilder text = new StringBuilder();
        List<Packet> packets = packets().subList(0, 20);
        for (int i = 0; i < packets.size(); i++) {
            text.append(String.format("2023-11-14 22:13:%02d.%06d%n", 20 + i, 1000 * i + 7));
            byte[] d = packets.get(i).data();
            for (int off = 0; off < d.length; off += 16) {
                text.append(String.format("%06x ", off))
                        .append(HexFormat.ofDelimiter(" ").formatHex(d, off, Math.min(d.length, off + 16)))
                        .append('\n');
            }
        }
        Path in = dir.resolve("dump.txt");
        Files.writeString(in, text);
        Path out = dir.resolve("text2pcap." + type);
        Tshark.run("text2pcap", "-q", "-F", type, "-t", "%Y-%m-%d %H:%M:%S.", in.toString(), out.toString());
        List<Packet> read = CaptureReader.readAll(out);
        assertEquals(packets.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertArrayEquals(packets.get(i).data(), read.get(i).data());
        }
        assertSame(read, Tshark.frames(out), "text2pcap");
    }
}
