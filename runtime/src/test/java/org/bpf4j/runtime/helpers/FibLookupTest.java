package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.Inet.addr;
import static org.bpf4j.runtime.helpers.RoutingTable.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.hooks.Action;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.hooks.TcAction;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;

/**
 * bpf_fib_lookup against a RoutingTable, through fib.c's router (XDP and TC): what it returns, and what it leaves
 * in struct bpf_fib_lookup on each outcome, as net/core/filter.c's bpf_ipv4_fib_lookup and bpf_ipv6_fib_lookup do.
 */
class FibLookupTest {
    static final TestPrograms.Globals G = new TestPrograms.Globals("fib");
    static final byte[] IN_MAC = mac("02:00:00:00:00:01"), OUT_MAC = mac("02:00:00:00:00:02"),
            SLOW_MAC = mac("02:00:00:00:00:03"), GW_MAC = mac("02:00:00:00:00:fe"), HOST_MAC = mac("02:00:00:00:00:55"),
            GW6_MAC = mac("02:00:00:00:00:66");

    final RoutingTable table = new RoutingTable()
            .addInterface(1, IN_MAC, 1500)
            .addInterface(2, OUT_MAC, 1500)
            .addInterface(3, SLOW_MAC, 1400)
            .addRoute("10.1.0.0/16", 2, "10.0.0.254", RoutingTable.Type.UNICAST, 20)
            .addRoute("10.1.2.0/24", 3, null, RoutingTable.Type.UNICAST, 5)
            .addRoute("10.2.0.0/16", 3, null)
            .addRoute("192.0.2.0/24", 0, null, RoutingTable.Type.BLACKHOLE, 0)
            .addRoute("198.51.100.0/24", 0, null, RoutingTable.Type.UNREACHABLE, 0)
            .addRoute("203.0.113.0/24", 0, null, RoutingTable.Type.PROHIBIT, 0)
            .addRoute("2001:db8:1::/48", 2, "fe80::1")
            .addNeighbor("10.0.0.254", GW_MAC)
            .addNeighbor("10.2.0.5", HOST_MAC)
            .addNeighbor("10.1.2.3", HOST_MAC)
            .addNeighbor("fe80::1", GW6_MAC);
    final HelperServices services = new HelperServices(System::nanoTime, System::nanoTime, new TraceLog(), table, 42,
            new FabricSink.Collecting());
    final LoadedObject obj = TestPrograms.load("fib", TestPrograms.options().withServices(services));

    /** struct bpf_fib_lookup as the program saw it after the call. */
    record Params(long rc, int family, int totLen, int ifindex, int rtMetric, byte[] dst, int vlanProto, int vlanTci,
            byte[] smac, byte[] dmac) {}

    Params seen(int addrLen) {
        byte[] b = G.bytes(obj, "fib_seen");
        int p = 8;
        return new Params(TestPrograms.u64(b, 0), b[p] & 0xff, TestPrograms.u16(b, p + 6), TestPrograms.u32(b, p + 8),
                TestPrograms.u32(b, p + 12), Arrays.copyOfRange(b, p + 32, p + 32 + addrLen),
                TestPrograms.u16(b, p + 48), TestPrograms.u16(b, p + 50), Arrays.copyOfRange(b, p + 52, p + 58),
                Arrays.copyOfRange(b, p + 58, p + 64));
    }

    static byte[] ipv4(byte[] dst, int totLen) {
        ByteBuffer b = ByteBuffer.allocate(14 + Math.max(totLen, 20));
        b.put(IN_MAC).put(mac("02:00:00:00:00:aa")).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) totLen).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(addr(10, 0, 0, 9)).put(dst);
        return b.array();
    }

    static byte[] ipv6(byte[] dst) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8);
        b.put(IN_MAC).put(mac("02:00:00:00:00:aa")).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 8).put((byte) 17).put((byte) 64).put(new byte[16]).put(dst);
        return b.array();
    }

    Action route(byte[] frame) {
        return route(frame, new PacketMeta(1, 0, 0, 0));
    }

    Action route(byte[] frame, PacketMeta meta) {
        PacketRunner r = TestPrograms.runner(obj, "route");
        return r.run(frame, frame.length, meta);
    }

    void set(String global, int value) {
        G.set(obj, global, TestPrograms.le32(value));
    }

    @Test
    void aRouteViaAGatewayFillsIfindexAndMacsAndRewritesTheDestinationToTheGateway() {
        PacketRunner r = TestPrograms.runner(obj, "route");
        byte[] frame = ipv4(addr(10, 1, 9, 9), 100);
        assertEquals(XdpAction.REDIRECT, r.run(frame, frame.length, new PacketMeta(1, 0, 0, 0)));
        assertEquals(2, r.redirectTarget());
        Params p = seen(4);
        assertEquals(FibLookup.RET_SUCCESS, p.rc());
        assertEquals(2, p.ifindex());
        assertEquals(20, p.rtMetric());
        assertArrayEquals(addr(10, 0, 0, 254), p.dst(), "the next hop replaces the destination");
        assertArrayEquals(OUT_MAC, p.smac());
        assertArrayEquals(GW_MAC, p.dmac());
        assertEquals(1500, p.totLen(), "mtu_result");
        assertEquals(0, p.vlanProto());
        assertEquals(0, p.vlanTci());
        byte[] out = r.frame();
        assertArrayEquals(GW_MAC, Arrays.copyOfRange(out, 0, 6));
        assertArrayEquals(OUT_MAC, Arrays.copyOfRange(out, 6, 12));
    }

    @Test
    void aDirectRouteKeepsTheDestinationAndTheLongestPrefixWins() {
        assertEquals(XdpAction.REDIRECT, route(ipv4(addr(10, 1, 2, 3), 100)));
        Params p = seen(4);
        assertEquals(3, p.ifindex(), "10.1.2.0/24 beats 10.1.0.0/16");
        assertEquals(5, p.rtMetric());
        assertArrayEquals(addr(10, 1, 2, 3), p.dst());
        assertArrayEquals(SLOW_MAC, p.smac());
        assertArrayEquals(HOST_MAC, p.dmac());
        assertEquals(1400, p.totLen());
    }

    @Test
    void withoutANeighbourItIsNoNeighWithIfindexAndGatewaySetButNoMacs() {
        table.addRoute("10.3.0.0/16", 2, "10.0.0.253");
        assertEquals(XdpAction.PASS, route(ipv4(addr(10, 3, 0, 1), 100)));
        Params p = seen(4);
        assertEquals(FibLookup.RET_NO_NEIGH, p.rc());
        assertEquals(2, p.ifindex());
        assertArrayEquals(addr(10, 0, 0, 253), p.dst());
        assertArrayEquals(new byte[6], p.smac(), "smac is written only with dmac");
        assertArrayEquals(new byte[6], p.dmac());
        assertEquals(100, p.totLen(), "tot_len is not replaced by the MTU");
    }

    @Test
    void skipNeighSucceedsWithoutLookingForTheNeighbourAndLeavesTheMacs() {
        set("fib_flags", (int) FibLookup.FLAG_SKIP_NEIGH);
        table.addRoute("10.3.0.0/16", 2, "10.0.0.253");
        assertEquals(XdpAction.REDIRECT, route(ipv4(addr(10, 3, 0, 1), 100)));
        Params p = seen(4);
        assertEquals(FibLookup.RET_SUCCESS, p.rc());
        assertArrayEquals(addr(10, 0, 0, 253), p.dst());
        assertArrayEquals(new byte[6], p.smac());
        assertArrayEquals(new byte[6], p.dmac());
        assertEquals(1500, p.totLen());
    }

    @Test
    void noRouteIsNotForwarded() {
        assertEquals(XdpAction.PASS, route(ipv4(addr(172, 16, 0, 1), 100)));
        Params p = seen(4);
        assertEquals(FibLookup.RET_NOT_FWDED, p.rc());
        assertEquals(1, p.ifindex(), "untouched");
    }

    @Test
    void blackholeUnreachableAndProhibitRoutesGiveTheirCodes() {
        route(ipv4(addr(192, 0, 2, 1), 100));
        assertEquals(FibLookup.RET_BLACKHOLE, seen(4).rc());
        route(ipv4(addr(198, 51, 100, 1), 100));
        assertEquals(FibLookup.RET_UNREACHABLE, seen(4).rc());
        route(ipv4(addr(203, 0, 113, 1), 100));
        assertEquals(FibLookup.RET_PROHIBIT, seen(4).rc());
    }

    @Test
    void aPacketLongerThanTheOutputMtuIsFragNeededWithTheMtuInMtuResult() {
        assertEquals(XdpAction.PASS, route(ipv4(addr(10, 2, 0, 5), 1401)));
        Params p = seen(4);
        assertEquals(FibLookup.RET_FRAG_NEEDED, p.rc());
        assertEquals(1400, p.totLen(), "mtu_result");
        assertEquals(1, p.ifindex(), "nothing else is written");
        assertArrayEquals(addr(10, 2, 0, 5), p.dst());
        assertEquals(XdpAction.REDIRECT, route(ipv4(addr(10, 2, 0, 5), 1400)), "exactly the MTU fits");
    }

    @Test
    void anIpv6RouteViaAGatewayRewritesTheDestination() {
        byte[] dst = RoutingTable.parse("2001:db8:1::7");
        assertEquals(XdpAction.REDIRECT, route(ipv6(dst)));
        Params p = seen(16);
        assertEquals(FibLookup.RET_SUCCESS, p.rc());
        assertEquals(10, p.family());
        assertEquals(2, p.ifindex());
        assertArrayEquals(RoutingTable.parse("fe80::1"), p.dst());
        assertArrayEquals(GW6_MAC, p.dmac());
        assertArrayEquals(OUT_MAC, p.smac());
    }

    @Test
    void unknownFlagsAreInvalid() {
        set("fib_flags", 0x40);
        assertEquals(XdpAction.ABORTED, route(ipv4(addr(10, 1, 9, 9), 100)));
        assertEquals(-Errno.EINVAL, seen(4).rc());
    }

    @Test
    void theFlagsUserSpaceCannotActOnAreAccepted() {
        set("fib_flags", (int) (FibLookup.FLAG_DIRECT | FibLookup.FLAG_OUTPUT | FibLookup.FLAG_TBID
                | FibLookup.FLAG_SRC | FibLookup.FLAG_MARK));
        assertEquals(XdpAction.REDIRECT, route(ipv4(addr(10, 1, 9, 9), 100)));
    }

    @Test
    void aShortParameterStructIsInvalid() {
        set("fib_plen", 56);
        assertEquals(XdpAction.ABORTED, route(ipv4(addr(10, 1, 9, 9), 100)));
        assertEquals(-Errno.EINVAL, seen(4).rc());
    }

    @Test
    void anInputInterfaceTheTableDoesNotDeclareIsEnodev() {
        assertEquals(XdpAction.ABORTED, route(ipv4(addr(10, 1, 9, 9), 100), new PacketMeta(9, 0, 0, 0)));
        assertEquals(-Errno.ENODEV, seen(4).rc());
    }

    @Test
    void aRouteThroughAnUndeclaredInterfaceIsAConfigurationError() {
        table.addRoute("10.9.0.0/16", 7, null);
        BpfFault f = assertThrows(BpfFault.class, () -> route(ipv4(addr(10, 9, 0, 1), 100)));
        assertTrue(f.getMessage().contains("interface 7"), f.getMessage());
    }

    // ---- TC

    Action routeTc(byte[] frame) {
        PacketRunner r = TestPrograms.runner(obj, "route_tc");
        return r.run(frame, frame.length, new PacketMeta(1, 0, 0, 0));
    }

    @Test
    void tcWithTotLenChecksItAsXdpDoes() {
        assertEquals(TcAction.OK, routeTc(ipv4(addr(10, 2, 0, 5), 1401)));
        assertEquals(FibLookup.RET_FRAG_NEEDED, seen(4).rc());
        assertEquals(TcAction.REDIRECT, routeTc(ipv4(addr(10, 2, 0, 5), 1400)));
        assertEquals(1400, seen(4).totLen());
    }

    @Test
    void tcWithoutTotLenChecksTheFrameAgainstTheMtuAndReportsTheMtu() {
        set("fib_no_tot_len", 1);
        // the frame may be the MTU plus 14 bytes of Ethernet and 4 of VLAN header (is_skb_forwardable)
        assertEquals(TcAction.REDIRECT, routeTc(ipv4(addr(10, 2, 0, 5), 1400 + 4)));
        assertEquals(FibLookup.RET_SUCCESS, seen(4).rc());
        assertEquals(1400, seen(4).totLen(), "mtu_result");
        assertEquals(TcAction.OK, routeTc(ipv4(addr(10, 2, 0, 5), 1400 + 5)));
        Params p = seen(4);
        assertEquals(FibLookup.RET_FRAG_NEEDED, p.rc());
        assertEquals(1400, p.totLen(), "mtu_result");
        assertEquals(3, p.ifindex(), "the lookup itself succeeded");
        assertArrayEquals(HOST_MAC, p.dmac());
    }
}
