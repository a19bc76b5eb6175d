package org.bpf4j.runtime.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.runtime.helpers.FabricSink;
import org.bpf4j.runtime.helpers.HelperServices;
import org.bpf4j.runtime.hooks.FabricAction;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.hooks.TcAction;
import org.bpf4j.runtime.hooks.TcHook;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.maps.BpfMap;
import org.junit.jupiter.api.Test;

/** The examples of examples/obj, compiled by stock clang, on the user-space backend. */
class ExampleProgramsTest {
    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static long le64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void protocountCountsPacketsPerProtocolInAPerCpuArray() {
        LoadedObject obj = LoadedObject.load(Examples.read("protocount"), LoadedObject.Options.defaults().withCpus(2));
        PacketRunner cpu0 = obj.runner(obj.programs().get(0), 0);
        PacketRunner cpu1 = obj.runner(obj.programs().get(0), 1);
        byte[] tcp = Frames.ipv4(6, Frames.tcp(1, 2));
        byte[] udp = Frames.ipv4(17, Frames.udp(1, 53));
        byte[] arp = Frames.arp();
        for (int i = 0; i < 3; i++) {
            assertEquals(XdpAction.PASS, cpu0.run(tcp, tcp.length, PacketMeta.NONE));
        }
        assertEquals(XdpAction.PASS, cpu1.run(tcp, tcp.length, PacketMeta.NONE));
        cpu1.run(udp, udp.length, PacketMeta.NONE);
        cpu0.run(arp, arp.length, PacketMeta.NONE);
        BpfMap counts = obj.map("protocount_map").orElseThrow();
        List<byte[]> perCpu = counts.lookupPerCpu(le32(6)).orElseThrow();
        assertEquals(3, le64(perCpu.get(0)));
        assertEquals(1, le64(perCpu.get(1)));
        assertEquals(1, le64(counts.lookupPerCpu(le32(17)).orElseThrow().get(1)));
        assertEquals(1, le64(counts.lookupPerCpu(le32(0)).orElseThrow().get(0)));
    }

    @Test
    void tcmarkerDropsTelnetAndMarksSshAndDns() {
        LoadedObject obj = Examples.load("tcmarker");
        PacketRunner r = obj.runner(obj.programs().get(0), 0);
        assertEquals(ProgramType.SCHED_CLS, r.entry().type());
        byte[] telnet = Frames.ipv4(6, Frames.tcp(5000, 23));
        byte[] ssh = Frames.ipv4(6, Frames.tcp(5000, 22));
        byte[] dns = Frames.ipv4(17, Frames.udp(5000, 53));
        byte[] web = Frames.ipv4(6, Frames.tcp(5000, 443));
        assertEquals(TcAction.SHOT, r.run(telnet, telnet.length, PacketMeta.NONE));
        assertEquals(TcAction.OK, r.run(ssh, ssh.length, PacketMeta.NONE));
        assertEquals(0x22, TcHook.mark(r.context()));
        assertEquals(6, TcHook.priority(r.context()));
        assertEquals(TcAction.OK, r.run(dns, dns.length, PacketMeta.NONE));
        assertEquals(0x53, TcHook.mark(r.context()));
        assertEquals(TcAction.OK, r.run(web, web.length, PacketMeta.NONE));
        assertEquals(0, TcHook.mark(r.context()), "a new packet starts with a clean skb");
    }

    @Test
    void tailcallDispatchesThroughTheProgramArray() {
        LoadedObject obj = Examples.load("tailcall");
        PacketRunner r = obj.runner(obj.program("dispatch").orElseThrow(), 0);
        byte[] icmp = Frames.ipv4(1, new byte[8]);
        byte[] tcp = Frames.ipv4(6, Frames.tcp(1, 2));
        byte[] ipv6 = ipv6();
        byte[] arp = Frames.arp();
        assertEquals(XdpAction.DROP, r.run(icmp, icmp.length, PacketMeta.NONE));
        assertEquals("handle_ipv4", r.lastProgram().name());
        assertEquals(XdpAction.PASS, r.run(tcp, tcp.length, PacketMeta.NONE));
        assertEquals(XdpAction.PASS, r.run(ipv6, ipv6.length, PacketMeta.NONE));
        assertEquals("handle_ipv6", r.lastProgram().name());
        assertEquals(XdpAction.PASS, r.run(arp, arp.length, PacketMeta.NONE));
        assertEquals("dispatch", r.lastProgram().name());
        BpfMap stats = obj.map("tailcall_stats").orElseThrow();
        assertEquals(2, le64(stats.lookup(le32(0)).orElseThrow()));
        assertEquals(1, le64(stats.lookup(le32(1)).orElseThrow()));
    }

    @Test
    void globalsKeepCountersInBssAndDataAndReadTheirLimitFromRodata() {
        LoadedObject obj = Examples.load("globals");
        PacketRunner r = obj.runner(obj.programs().get(0), 0);
        byte[] small = Frames.arp();
        byte[] big = new byte[1200];
        assertEquals(XdpAction.PASS, r.run(small, small.length, PacketMeta.NONE));
        assertEquals(XdpAction.DROP, r.run(big, big.length, PacketMeta.NONE));
        // .bss holds largest, frames and bytes (all zero-initialised); .data holds seen_marker
        byte[] bss = obj.map(".bss").orElseThrow().lookup(new byte[4]).orElseThrow();
        assertEquals(24, bss.length);
        ByteBuffer b = ByteBuffer.wrap(bss).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> values = List.of(b.getLong(0), b.getLong(8), b.getLong(16));
        assertTrue(values.containsAll(List.of(1200L, 2L, 1242L)), "largest, frames and bytes in .bss: " + values);
        byte[] data = obj.map(".data").orElseThrow().lookup(new byte[4]).orElseThrow();
        assertEquals(0x5eedL ^ 42 ^ 1200, le64(data), "seen_marker in .data");
        assertTrue(obj.map(".rodata").orElseThrow().spec().readOnlyForPrograms());
    }

    @Test
    void bpf2bpfCallsChecksumTheIpv4Header() {
        LoadedObject obj = Examples.load("bpf2bpf");
        PacketRunner r = obj.runner(obj.program("bpf2bpf").orElseThrow(), 0);
        byte[] good = Frames.ipv4(6, Frames.tcp(1, 2));
        byte[] bad = good.clone();
        bad[14 + 10] ^= 0x5a;
        assertEquals(XdpAction.PASS, r.run(good, good.length, PacketMeta.NONE));
        assertEquals(XdpAction.DROP, r.run(bad, bad.length, PacketMeta.NONE));
    }

    @Test
    void theFabricLearningSwitchFloodsThenForwardsToTheLearnedPort() {
        var sink = new FabricSink.Collecting();
        var options = LoadedObject.Options.defaults().withType(ProgramType.BPFABRIC);
        LoadedObject obj = LoadedObject.load(Examples.read("fabric_learning"), options);
        PacketRunner r = obj.runner(obj.programs().get(0), 0);
        byte[] aToB = frame(new byte[] {2, 0, 0, 0, 0, 0xb}, new byte[] {2, 0, 0, 0, 0, 0xa});
        byte[] bToA = frame(new byte[] {2, 0, 0, 0, 0, 0xa}, new byte[] {2, 0, 0, 0, 0, 0xb});
        assertEquals(FabricAction.FLOOD, r.run(aToB, aToB.length, new PacketMeta(1, 0, 0, 1)));
        assertEquals(new FabricAction(FabricAction.Kind.PORT, 1), r.run(bToA, bToA.length, new PacketMeta(1, 0, 0, 2)));
        assertEquals(new FabricAction(FabricAction.Kind.PORT, 2), r.run(aToB, aToB.length, new PacketMeta(1, 0, 0, 1)));
        assertEquals(FabricAction.DROP, r.run(aToB, aToB.length, new PacketMeta(1, 0, 0, 2)), "destination behind the input port");
        assertArrayEquals(aToB, r.frame());
        assertTrue(sink.mirrored().isEmpty());
    }

    static byte[] frame(byte[] dst, byte[] src) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(dst).put(src).putShort((short) 0x0800);
        return b.array();
    }

    static byte[] ipv6() {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8);
        b.put(Frames.DST).put(Frames.SRC).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 8).put((byte) 17).put((byte) 64);
        b.put(new byte[32]);
        b.put(Frames.udp(1, 2), 0, 8);
        return b.array();
    }
}
