package org.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.net.capture.CaptureReader;
import org.bpf4j.net.capture.Packet;
import org.bpf4j.net.gen.ExampleCapture;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.hooks.TcHook;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example object over the bundled capture: exact counts per action, output bytes, map contents. */
class BundledExamplesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CAPTURE = ROOT.resolve("examples/captures/mixed.pcap");
    static List<ExampleCapture.Frame> truth;
    static List<Packet> packets;

    @BeforeAll
    static void read() throws IOException {
        truth = ExampleCapture.frames();
        packets = CaptureReader.readAll(CAPTURE);
        System.setProperty("bpf4j.home", ROOT.toString());
    }

    @Test
    void theBundledCaptureIsWhatTheGeneratorMakes() throws IOException {
        assertArrayEquals(ExampleCapture.bytes(), Files.readAllBytes(CAPTURE),
                "regenerate with: java -cp net/target/classes:core/target/classes "
                        + "org.bpf4j.net.gen.ExampleCapture examples/captures/mixed.pcap");
        assertEquals(297, packets.size());
    }

    record Outcome(Map<String, Integer> counts, List<byte[]> frames, LoadedObject object, PacketRunner runner) {}

    static Outcome run(String example, ProgramType type, String program) throws IOException {
        var options = LoadedObject.Options.defaults().withType(type);
        LoadedObject obj = LoadedObject.load(ObjectReader.read(ROOT.resolve("examples/obj/" + example + ".o")), options);
        PacketRunner runner = obj.runner(program == null ? obj.programs().get(0) : obj.program(program).orElseThrow(), 0);
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<byte[]> out = new java.util.ArrayList<>();
        for (Packet p : packets) {
            String label = runner.run(p.data(), p.data().length, new PacketMeta(1, 0, p.timestampNanos(), 1)).label();
            counts.merge(label, 1, Integer::sum);
            out.add(runner.frame());
        }
        return new Outcome(counts, out, obj, runner);
    }

    static int count(Predicate<ExampleCapture.Frame> p) {
        return (int) truth.stream().filter(p).count();
    }

    @Test
    void dropworldDropsAll297() throws IOException {
        assertEquals(Map.of("drop", 297), run("dropworld", null, null).counts());
    }

    @Test
    void portfilterDropsThe74CompleteTcpSegmentsToPort80() throws IOException {
        Outcome o = run("portfilter", null, null);
        assertEquals(Map.of("pass", 223, "drop", 74), o.counts());
        assertEquals(count(f -> f.tcpTo(80) && !f.isTruncated()), 74);
        // XDP_PASS and XDP_DROP leave the frame as it came
        for (int i = 0; i < packets.size(); i++) {
            assertArrayEquals(packets.get(i).data(), o.frames().get(i), "frame " + (i + 1));
        }
    }

    @Test
    void protocountCountsEveryFrameUnderItsIpProtocol() throws IOException {
        Outcome o = run("protocount", null, null);
        assertEquals(Map.of("pass", 297), o.counts());
        BpfMap m = o.object().map("protocount_map").orElseThrow();
        // truncated frames count under the protocol whose IP header is whole, else under 0
        assertEquals(15, counter(m, 0), "ARP, and frames cut in the Ethernet or IP header");
        assertEquals(22, counter(m, 1));
        assertEquals(205, counter(m, 6));
        assertEquals(47, counter(m, 17));
        assertEquals(8, counter(m, 58));
        assertEquals(count(f -> f.isIcmp()), 22);
        assertEquals(count(f -> f.isIcmpv6()), 8);
    }

    @Test
    void tcmarkerMarksSshAndDnsAndDropsNothingElse() throws IOException {
        Outcome o = run("tcmarker", null, null);
        int telnet = count(f -> f.tcpTo(23) && !f.isTruncated());
        assertEquals(297 - telnet, o.counts().get("ok"));
        assertEquals(telnet == 0 ? null : telnet, o.counts().get("shot"));
    }

    @Test
    void tailcallDropsIcmpThroughTheIpv4HandlerAndCountsEachHandler() throws IOException {
        Outcome o = run("tailcall", null, "dispatch");
        assertEquals(Map.of("pass", 275, "drop", 22), o.counts());
        BpfMap stats = o.object().map("tailcall_stats").orElseThrow();
        assertEquals(packets.stream().filter(p -> etherType(p.data()) == 0x0800).count(),
                le64(stats.lookup(le32(0)).orElseThrow()));
        assertEquals(packets.stream().filter(p -> etherType(p.data()) == 0x86dd).count(),
                le64(stats.lookup(le32(1)).orElseThrow()));
    }

    // The EtherType after up to two VLAN tags, as the dispatcher sees it; 0 when the frame is too short.
    static int etherType(byte[] f) {
        if (f.length < 14) {
            return 0;
        }
        int at = 12;
        int type = (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
        for (int i = 0; i < 2 && (type == 0x8100 || type == 0x88a8); i++) {
            if (f.length < at + 6) {
                return 0;
            }
            at += 4;
            type = (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
        }
        return type;
    }

    @Test
    void globalsDropsNothingBelowItsLimitAndSumsTheBytes() throws IOException {
        Outcome o = run("globals", null, null);
        long bytes = packets.stream().mapToLong(p -> p.data().length).sum();
        int over = (int) packets.stream().filter(p -> p.data().length > 1000).count();
        assertEquals(297 - over, o.counts().get("pass"));
        byte[] bss = o.object().map(".bss").orElseThrow().lookup(new byte[4]).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(bss).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> v = List.of(b.getLong(0), b.getLong(8), b.getLong(16));
        assertTrue(v.contains(297L) && v.contains(bytes), v + " should hold 297 frames and " + bytes + " bytes");
    }

    @Test
    void bpf2bpfFindsEveryIpv4HeaderChecksumValid() throws IOException {
        Outcome o = run("bpf2bpf", null, null);
        assertEquals(Map.of("pass", 297), o.counts());
        assertEquals(6, count(ExampleCapture.Frame::ipOptions), "IPv4 headers with options pass unchecked");
    }

    @Test
    void theFabricLearningSwitchFloodsUnknownDestinations() throws IOException {
        Outcome o = run("fabric_learning", ProgramType.BPFABRIC, null);
        // every frame enters on port 1: destinations learned on port 1 are dropped, the rest flooded
        assertEquals(297, o.counts().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(o.counts().containsKey("flood"), o.counts().toString());
    }

    @Test
    void macswapSendsBackEveryIpFrameWithItsAddressesSwapped() throws IOException {
        Outcome o = run("macswap", null, null);
        int ip = (int) packets.stream().filter(p -> etherType(p.data()) == 0x0800 || etherType(p.data()) == 0x86dd).count();
        assertEquals(Map.of("tx", ip, "pass", 297 - ip), o.counts());
        for (int i = 0; i < packets.size(); i++) {
            byte[] in = packets.get(i).data();
            byte[] out = o.frames().get(i);
            int type = etherType(in);
            if (type == 0x0800 || type == 0x86dd) {
                assertArrayEquals(java.util.Arrays.copyOfRange(in, 0, 6), java.util.Arrays.copyOfRange(out, 6, 12));
                assertArrayEquals(java.util.Arrays.copyOfRange(in, 6, 12), java.util.Arrays.copyOfRange(out, 0, 6));
                assertArrayEquals(java.util.Arrays.copyOfRange(in, 12, in.length), java.util.Arrays.copyOfRange(out, 12, out.length));
            } else {
                assertArrayEquals(in, out);
            }
        }
    }

    @Test
    void flowtableKeepsOneEntryPerFlowWithItsPacketCount() throws IOException {
        Outcome o = run("flowtable", null, null);
        BpfMap flows = o.object().map("flows").orElseThrow();
        long packetsCounted = 0;
        for (byte[] k : flows.keys()) {
            byte[] v = flows.lookup(k).orElseThrow();
            packetsCounted += le64(v);
            int backend = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
            assertTrue(backend >= 0 && backend < 8, "backend " + backend);
        }
        assertEquals(o.counts().get("tx").longValue(), packetsCounted, "every packet sent out is counted in its flow");
        assertTrue(flows.keys().size() > 10 && flows.keys().size() < o.counts().get("tx"), flows.keys().size() + " flows");
    }

    @Test
    void noExampleChangesTheFramesItPasses() throws IOException {
        for (String example : List.of("dropworld", "portfilter", "protocount", "tcmarker", "globals", "bpf2bpf")) {
            Outcome o = run(example, null, null);
            for (int i = 0; i < packets.size(); i++) {
                assertArrayEquals(packets.get(i).data(), o.frames().get(i), example + ", frame " + (i + 1));
            }
        }
    }

    @Test
    void runWritesOneCapturePerActionThatReadsBackAsTheProgramLeftThePackets(@TempDir Path dir) throws IOException {
        Cli r = Cli.run("run", ROOT.resolve("examples/obj/portfilter.o").toString(), "--pcap", CAPTURE.toString(),
                "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*drop\\s+74\\s+5320.*"), r.out());
        assertTrue(r.out().matches("(?s).*pass\\s+223\\s+31587.*"), r.out());
        List<Packet> dropped = CaptureReader.readAll(dir.resolve("drop.pcap"));
        List<Packet> passed = CaptureReader.readAll(dir.resolve("pass.pcap"));
        assertEquals(74, dropped.size());
        assertEquals(223, passed.size());
        assertEquals(packets.get(0), dropped.get(0), "the first frame is a SYN to port 80, kept as it was");
    }

    @Test
    void runWithoutArgumentsShowsPortfilterAndTheCounter() {
        Cli r = Cli.run("run");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("portfilter.o: program portfilter (xdp"), r.out());
        assertTrue(r.out().contains("0: 15, 1: 22, 6: 205, 17: 47, 58: 8"), r.out());
    }

    @Test
    void runWithMapsPrintsBpftoolShapedJson() {
        Cli r = Cli.run("run", ROOT.resolve("examples/obj/tailcall.o").toString(), "--program", "dispatch",
                "--pcap", CAPTURE.toString(), "--maps");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("map tailcall_stats (array):"), r.out());
        assertTrue(r.out().contains("\"key\": [\"0x01\",\"0x00\",\"0x00\",\"0x00\""), r.out());
    }

    @Test
    void aTextOnlyObjectNeedsAType() {
        Cli r = Cli.run("run", ROOT.resolve("examples/obj/fabric_learning.o").toString(), "--pcap", CAPTURE.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("choose xdp, tc or bpfabric"), r.err());
    }

    @Test
    void anUnknownProgramIsOneClearLine() {
        Cli r = Cli.run("run", ROOT.resolve("examples/obj/portfilter.o").toString(), "--program", "nope",
                "--pcap", CAPTURE.toString());
        assertEquals(1, r.status());
        assertEquals("bpf4j run: no program nope in the object (it has portfilter in xdp)", r.err().strip());
    }

    static long counter(BpfMap m, int key) {
        return m.lookupPerCpu(le32(key)).orElseThrow().stream().mapToLong(BundledExamplesTest::le64).sum();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static long le64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
