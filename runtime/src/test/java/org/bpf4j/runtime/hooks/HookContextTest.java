package org.bpf4j.runtime.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What programs read from the contexts the hooks build: context.c copies the fields of xdp_md and __sk_buff into
 * the frame. (helpers.KernelAgreementTest compares the same with the kernel's test run.)
 */
class HookContextTest {
    static LoadedObject load() throws IOException, URISyntaxException {
        Path p = Path.of(HookContextTest.class.getClassLoader().getResource("helpers/context.o").toURI());
        return LoadedObject.load(ObjectReader.read(p), LoadedObject.Options.defaults().withEngine(Engine.INTERPRETER));
    }

    static int word(byte[] frame, int i) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(4 * i);
    }

    static byte[] frame(String dst, int type, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        for (String x : dst.split(":")) {
            b.put((byte) Integer.parseInt(x, 16));
        }
        b.put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) type);
        return b.array();
    }

    @Test
    void xdpMdHasTheFrameBoundsAndTheInterface() throws Exception {
        LoadedObject obj = load();
        PacketRunner r = obj.runner(obj.program("xdp_context").orElseThrow(), 0);
        byte[] f = frame("02:00:00:00:00:02", 0x0800, 128);
        assertEquals(XdpAction.PASS, r.run(f, f.length, new PacketMeta(7, 3, 0, 0)));
        byte[] out = r.frame();
        assertEquals(128, word(out, 0), "data_end - data");
        assertEquals(0, word(out, 1), "no metadata");
        assertEquals(7, word(out, 2), "ingress_ifindex");
        assertEquals(3, word(out, 3), "rx_queue_index");
    }

    @ParameterizedTest(name = "dst {0}, type 0x{1}: pkt_type {2}, protocol 0x{3}")
    // pkt_type as on lo, where the kernel's test run receives: its address and broadcast address are all zeros
    @CsvSource({
        "02:00:00:00:00:02, 0800, 3, 0800",     // PACKET_OTHERHOST
        "00:00:00:00:00:00, 0800, 0, 0800",     // PACKET_HOST: lo's own address
        "ff:ff:ff:ff:ff:ff, 0806, 2, 0806",     // PACKET_MULTICAST: not lo's broadcast address
        "01:00:5e:00:00:01, 0800, 2, 0800",
        "33:33:00:00:00:01, 86dd, 2, 86dd",
        "02:00:00:00:00:02, 8100, 3, 8100",     // VLAN tags stay in the data
        "02:00:00:00:00:02, 0040, 3, 0004",     // 802.3 with LLC
    })
    void skBuffHasTheLengthsTheInterfaceAndWhatEthTypeTransMakesOfTheHeader(String dst, String type, int pktType,
            String protocol) throws Exception {
        LoadedObject obj = load();
        assertEquals(ProgramType.SCHED_CLS, obj.program("tc_context").orElseThrow().type());
        PacketRunner r = obj.runner(obj.program("tc_context").orElseThrow(), 0);
        byte[] f = frame(dst, Integer.parseInt(type, 16), 128);
        assertEquals(TcAction.OK, r.run(f, f.length, new PacketMeta(4, 2, 123_456_789L, 0)));
        byte[] out = r.frame();
        assertEquals(128, word(out, 0), "len");
        assertEquals(pktType, word(out, 1), "pkt_type");
        assertEquals(0, word(out, 2), "mark");
        assertEquals(2, word(out, 3), "queue_mapping");
        assertEquals(Short.reverseBytes((short) Integer.parseInt(protocol, 16)) & 0xffff, word(out, 4), "protocol");
        assertEquals(0, word(out, 5), "vlan_present");
        assertEquals(4, word(out, 9), "ingress_ifindex");
        assertEquals(4, word(out, 10), "ifindex");
        assertEquals(128, word(out, 14), "data_end - data");
        assertEquals(0, word(out, 15), "no metadata");
        assertEquals(128, word(out, 16), "wire_len");
        assertEquals(0, word(out, 17), "gso_segs");
        assertEquals(123_456_789, word(out, 22), "tstamp (low half)");
    }

    @Test
    void rawIpxOver8023IsEthP8023() throws Exception {
        LoadedObject obj = load();
        PacketRunner r = obj.runner(obj.program("tc_context").orElseThrow(), 0);
        byte[] f = frame("02:00:00:00:00:02", 0x0040, 128);
        f[14] = (byte) 0xff;
        f[15] = (byte) 0xff;
        r.run(f, f.length, PacketMeta.NONE);
        assertEquals(0x0100, word(r.frame(), 4), "htons(ETH_P_802_3)");
    }

    @ParameterizedTest(name = "r0 {0}: {1}")
    @CsvSource({"0, ABORTED", "1, DROP", "2, PASS", "3, TX", "4, REDIRECT", "5, ABORTED", "-1, ABORTED",
            "4294967298, PASS", "-4294967294, PASS"})
    void xdpActionsAreTheLow32BitsOfR0AndUnknownOnesAreAborted(long r0, XdpAction expected) {
        assertEquals(expected, XdpAction.of(r0));
    }

    @ParameterizedTest(name = "r0 {0}: {1}")
    @CsvSource({"-1, UNSPEC", "0, OK", "2, SHOT", "7, REDIRECT", "8, TRAP", "9, UNSPEC", "4294967298, SHOT"})
    void tcActionsReadTheLow32Bits(long r0, TcAction expected) {
        assertEquals(expected, TcAction.of(r0));
    }

    @ParameterizedTest(name = "r0 0x{0}")
    @CsvSource({"0000000000000005, PORT, 5", "0000000100000000, FLOOD, 0", "0000000200000000, CONTROLLER, 0",
            "0000000300000000, DROP, 0", "0000000400000000, NEXT, 0", "00000000fffffffd, FLOOD, 0",
            "00000000fffffffe, CONTROLLER, 0", "00000000ffffffff, DROP, 0", "0000000900000000, DROP, 0"})
    void fabricActionsDecodeBothEncodings(String r0, FabricAction.Kind kind, int port) {
        FabricAction a = FabricAction.of(Long.parseUnsignedLong(r0, 16));
        assertEquals(new FabricAction(kind, port), a);
        assertEquals(a, FabricAction.of(a.encode()));
    }
}
