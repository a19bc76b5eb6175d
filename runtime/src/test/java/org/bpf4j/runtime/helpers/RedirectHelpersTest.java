package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.le32;
import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.ret;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpf4j.runtime.hooks.TcAction;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** bpf_redirect in XDP and TC, and bpf_redirect_map on a devmap (xdp_packet.c, tc_packet.c). */
class RedirectHelpersTest {
    static final int NONE = 0xffffffff;

    final LoadedObject xdp = TestPrograms.load("xdp_packet");
    final LoadedObject tc = TestPrograms.load("tc_packet");

    @BeforeEach
    void devmap() {
        BpfMap ports = xdp.map("tx_ports").orElseThrow();
        ports.update(le32(1), le32(11));
        ports.update(le32(3), le32(33));
    }

    @Test
    void xdpRedirectRedirectsToTheInterface() {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_redirect");
        assertEquals(XdpAction.REDIRECT, run(r, params(64, 42, 0)));
        assertEquals(42, r.redirectTarget());
    }

    @ParameterizedTest(name = "flags {0}")
    @CsvSource({"1", "2", "8", "-2147483648"})
    void xdpRedirectWithAnyFlagsAborts(int flags) {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_redirect");
        assertEquals(XdpAction.ABORTED, run(r, params(64, 42, flags)));
        assertEquals(-1, r.redirectTarget());
    }

    @ParameterizedTest(name = "flags {0}: {1}")
    @CsvSource({"0, REDIRECT", "1, REDIRECT", "2, SHOT", "16, SHOT", "3, SHOT"})
    void tcRedirectTakesOnlyBpfFIngress(int flags, TcAction expected) {
        PacketRunner r = TestPrograms.runner(tc, "tc_redirect");
        assertEquals(expected, run(r, params(64, 5, flags)));
        assertEquals(expected == TcAction.REDIRECT ? 5 : -1, r.redirectTarget());
    }

    @Test
    void aNewPacketForgetsTheLastRedirect() {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_redirect");
        run(r, params(64, 42, 0));
        run(r, params(64, 42, 1));
        assertEquals(-1, r.redirectTarget());
    }

    @ParameterizedTest(name = "key {0}")
    @CsvSource({"1, 11", "3, 33"})
    void redirectMapToAnEntryRedirectsToItsInterface(int key, int ifindex) {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(XdpAction.REDIRECT, run(r, params(64, key, 0, NONE)));
        assertEquals(ifindex, r.redirectTarget());
    }

    @ParameterizedTest(name = "key {0}, flags {1}: {2}")
    @CsvSource({
        "2, 0, ABORTED",     // an empty slot: the low flag bits are the action
        "2, 1, DROP",
        "2, 2, PASS",
        "2, 3, TX",
        "100, 2, PASS",      // beyond max_entries
    })
    void redirectMapMissReturnsTheFallbackInTheLowFlagBits(int key, int flags, XdpAction expected) {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(expected, run(r, params(64, key, flags, NONE)));
        assertEquals(-1, r.redirectTarget());
    }

    @ParameterizedTest(name = "flags {0}")
    @CsvSource({"4", "32", "256", "-2147483648"})
    void redirectMapWithUnknownFlagsAborts(int flags) {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(XdpAction.ABORTED, run(r, params(64, 1, flags, NONE)));
        assertEquals(-1, r.redirectTarget());
    }

    @Test
    void aMissAfterAHitClearsTheRedirectAsInTheKernel() {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(XdpAction.PASS, run(r, params(64, 1, 2, 5)));
        assertEquals(-1, r.redirectTarget(), "the last lookup takes precedence");
    }

    @Test
    void aHitAfterAMissRedirects() {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(XdpAction.REDIRECT, run(r, params(64, 5, 2, 3)));
        assertEquals(33, r.redirectTarget());
    }

    @ParameterizedTest(name = "key {0}, flags {1}")
    @CsvSource({"1, 8", "2, 8", "2, 24", "1, 10"})
    void aDevmapBroadcastRedirectsEvenWithoutTheKeyAndHasNoSingleTarget(int key, int flags) {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(XdpAction.REDIRECT, run(r, params(64, key, flags, NONE)));
        assertEquals(-1, r.redirectTarget(), "every interface of the map");
    }

    @Test
    void excludeIngressAloneIsAcceptedAndLooksUpTheKey() {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        assertEquals(XdpAction.REDIRECT, run(r, params(64, 3, 16, NONE)));
        assertEquals(33, r.redirectTarget());
        assertEquals(XdpAction.DROP, run(r, params(64, 2, 17, NONE)));
    }

    @Test
    void anEntryTheControlPlaneRemovesIsAMiss() {
        PacketRunner r = TestPrograms.runner(xdp, "redirect_map");
        xdp.map("tx_ports").orElseThrow().delete(le32(3));
        assertEquals(XdpAction.PASS, run(r, params(64, 3, 2, NONE)));
        assertEquals(2, ret(r));
    }
}
