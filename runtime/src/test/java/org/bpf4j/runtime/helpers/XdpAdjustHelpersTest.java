package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.ret;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.bpf4j.runtime.helpers.TestPrograms.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.hooks.PacketBuffer;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.hooks.XdpHook;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bpf_xdp_adjust_head, bpf_xdp_adjust_tail, bpf_xdp_adjust_meta and bpf_xdp_get_buff_len, run by xdp_packet.c's
 * programs: the limits are the kernel's for a page-sized buffer (256 bytes of headroom of which the xdp_frame
 * keeps 40, 320 bytes of tailroom, 14 bytes of frame at least), checked against the kernel in
 * KernelAgreementTest.
 */
class XdpAdjustHelpersTest {
    static final int EINVAL = -Errno.EINVAL, EACCES = -Errno.EACCES;
    static final TestPrograms.Globals G = new TestPrograms.Globals("xdp_packet");

    final LoadedObject obj = TestPrograms.load("xdp_packet");

    record Seen(long ret, int len, int metalen, int meta0, int first) {}

    Seen seen() {
        byte[] b = G.bytes(obj, "seen");
        return new Seen(TestPrograms.u64(b, 0), u32(b, 8), u32(b, 12), u32(b, 16), u32(b, 20));
    }

    static int field(PacketRunner r, int offset) {
        return r.context().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset);
    }

    /** The context's data, data_end and data_meta are the buffer's bounds as they are now. */
    static void assertContextFollows(PacketRunner r) {
        PacketBuffer b = r.buffer();
        assertEquals((int) b.address(b.data()), field(r, XdpHook.DATA), "xdp_md.data");
        assertEquals((int) b.address(b.dataEnd()), field(r, XdpHook.DATA_END), "xdp_md.data_end");
        assertEquals((int) b.address(b.dataMeta()), field(r, XdpHook.DATA_META), "xdp_md.data_meta");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void adjustHeadByMinus16PrependsSixteenZeroBytesAndMovesData() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_head");
        byte[] frame = params(64, -16);
        assertEquals(XdpAction.TX, run(r, frame));
        assertArrayEquals(concat(new byte[16], frame), r.frame());
        assertEquals(new Seen(0, 80, 0, 0, 0), seen());
        assertContextFollows(r);
    }

    @Test
    void adjustHeadByPlus14DropsTheEthernetHeader() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_head");
        byte[] frame = params(64, 14);
        assertEquals(XdpAction.TX, run(r, frame));
        assertArrayEquals(Arrays.copyOfRange(frame, 14, 64), r.frame());
        assertEquals(50, seen().len());
        assertContextFollows(r);
    }

    @ParameterizedTest(name = "adjust_head({0}) on 64 bytes: {1}")
    @CsvSource({
        "-216, 0",     // down to the end of the xdp_frame at the buffer's start: 256 - 40
        "-217, -22",   // one byte into it
        "50, 0",       // down to an Ethernet header's 14 bytes
        "51, -22",     // less than that
        "0, 0",
        "-2147483648, -22",
        "2147483647, -22",
    })
    void adjustHeadStopsAtTheXdpFrameAndAtFourteenBytes(int delta, int expected) {
        PacketRunner r = TestPrograms.runner(obj, "adjust_head");
        byte[] frame = params(64, delta);
        run(r, frame);
        assertEquals(expected == 0 ? XdpAction.TX.ordinal() : expected, ret(r), "XDP_TX on success, else the error");
        assertEquals(expected == 0 ? 64 - delta : 64, r.frame().length);
        if (expected != 0) {
            assertArrayEquals(frame, r.frame(), "a refused adjustment changes nothing");
        }
        assertContextFollows(r);
    }

    @ParameterizedTest(name = "adjust_tail({0}) on 64 bytes: {1}")
    @CsvSource({
        "3456, 0",     // up to the page less headroom and skb_shared_info: 4096 - 256 - 320 = 3520
        "3457, -22",
        "-50, 0",      // down to 14 bytes
        "-51, -22",
        "0, 0",
    })
    void adjustTailStopsAtTheTailroomAndAtFourteenBytes(int delta, int expected) {
        PacketRunner r = TestPrograms.runner(obj, "adjust_tail");
        byte[] frame = params(64, delta);
        run(r, frame);
        assertEquals(expected == 0 ? XdpAction.TX.ordinal() : expected, ret(r), "XDP_TX on success, else the error");
        int len = expected == 0 ? 64 + delta : 64;
        assertEquals(len, r.frame().length);
        assertEquals(len, seen().len());
        assertContextFollows(r);
    }

    @Test
    void adjustTailGrowthIsZeroFilledEvenOverWhatAnEarlierFrameLeft() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_tail");
        byte[] big = params(400, 0);
        Arrays.fill(big, 4, big.length, (byte) 0x77);
        run(r, big);
        byte[] small = params(100, 300);
        assertEquals(XdpAction.TX, run(r, small));
        assertArrayEquals(concat(small, new byte[300]), r.frame());
    }

    @Test
    void adjustTailShrinkKeepsTheHead() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_tail");
        byte[] frame = params(64, -10);
        assertEquals(XdpAction.TX, run(r, frame));
        assertArrayEquals(Arrays.copyOf(frame, 54), r.frame());
    }

    @Test
    void buffLenIsTheFrameLengthAfterTheTailMoved() {
        PacketRunner r = TestPrograms.runner(obj, "buff_len");
        run(r, params(64, 20));
        assertEquals(84, ret(r));
    }

    @Test
    void adjustMetaReservesMetadataBeforeTheFrameWhichTheProgramCanWrite() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_meta");
        byte[] frame = params(64, -4, 0, 0xfeedbeef);
        assertEquals(XdpAction.TX, run(r, frame));
        assertEquals(new Seen(0, 64, 4, 0xfeedbeef, 0), new Seen(seen().ret(), seen().len(), seen().metalen(),
                seen().meta0(), 0));
        PacketBuffer b = r.buffer();
        assertEquals(4, b.data() - b.dataMeta());
        assertEquals(0xfeedbeef, b.segment().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                b.dataMeta()));
        // the program wrote the metadata length and word it saw into the frame
        assertEquals(4, u32(r.frame(), 0));
        assertEquals(0xfeedbeef, u32(r.frame(), 4));
        assertContextFollows(r);
    }

    @ParameterizedTest(name = "adjust_meta({0}): {1}")
    @CsvSource({
        "-32, 0",
        "-36, 0",      // more than the 32 bytes older kernels allowed: skb_shared_info's meta_len is a u8 now
        "-216, 0",     // all the headroom up to the xdp_frame
        "-220, -22",   // into it
        "-6, -13",     // not a multiple of 4
        "-2, -13",
        "4, -22",      // after the data
        "0, 0",
    })
    void adjustMetaChecksBoundsThenAlignment(int delta, int expected) {
        PacketRunner r = TestPrograms.runner(obj, "adjust_meta");
        run(r, params(64, delta, 0, 1));
        assertEquals(expected == 0 ? XdpAction.TX.ordinal() : expected, ret(r), "XDP_TX on success, else the error");
        PacketBuffer b = r.buffer();
        assertEquals(expected == 0 ? -delta : 0, b.data() - b.dataMeta());
        assertContextFollows(r);
    }

    @Test
    void adjustHeadMovesTheMetadataWithTheData() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_meta");
        assertEquals(XdpAction.TX, run(r, params(64, -8, -16, 0xabcd)));
        Seen s = seen();
        assertEquals(8, s.metalen());
        assertEquals(0xabcd, s.meta0(), "the metadata moved with the data");
        assertEquals(80, s.len());
        PacketBuffer b = r.buffer();
        assertEquals(PacketBuffer.HEADROOM - 16 - 8, b.dataMeta());
        assertContextFollows(r);
    }

    @Test
    void adjustHeadShrinkingAlsoMovesTheMetadata() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_meta");
        assertEquals(XdpAction.TX, run(r, params(64, -8, 20, 0xabcd)));
        assertEquals(0xabcd, seen().meta0());
        assertEquals(8, seen().metalen());
        assertEquals(44, seen().len());
    }

    @ParameterizedTest(name = "8 bytes of metadata, then adjust_head({0}): {1}")
    @CsvSource({"-208, 0", "-209, -22"})
    void theMetadataNeedsItsRoomInTheHeadroom(int head, int expected) {
        PacketRunner r = TestPrograms.runner(obj, "adjust_meta");
        run(r, params(64, -8, head, 1));
        assertEquals(expected == 0 ? XdpAction.TX.ordinal() : expected, ret(r), "XDP_TX on success, else the error");
        assertEquals(8, r.buffer().data() - r.buffer().dataMeta());
        assertContextFollows(r);
    }

    @Test
    void aNewFrameStartsWithoutMetadataAndWithAZeroHeadroom() {
        PacketRunner r = TestPrograms.runner(obj, "adjust_meta");
        run(r, params(64, -32, 0, 0x5a5a5a5a));
        run(r, params(64, 0, -200, 0));
        assertEquals(0, r.buffer().data() - r.buffer().dataMeta());
        MemorySegment head = r.buffer().segment().asSlice(r.buffer().data(), 200);
        assertEquals(-1L, head.mismatch(MemorySegment.ofArray(new byte[200])), "the headroom a frame grows into is zero");
    }
}
