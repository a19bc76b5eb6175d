package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.ret;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.bpf4j.runtime.helpers.TestPrograms.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.hooks.TcAction;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bpf_xdp_load_bytes, bpf_xdp_store_bytes, bpf_skb_load_bytes and bpf_skb_store_bytes in and out of bounds. The
 * two families differ, as in the kernel (net/core/filter.c): the XDP ones say -EINVAL for a range beyond the
 * frame, -EFAULT for an offset or length above 0xffff, and leave the destination alone; bpf_skb_load_bytes says
 * -EFAULT and clears the destination.
 *
 * <p>The load programs leave the helper's result at frame offset 8 and their whole 64-byte destination (which
 * starts as 0xaa) from offset 16.
 */
class PacketBytesHelpersTest {
    static final int EINVAL = -Errno.EINVAL, EFAULT = -Errno.EFAULT;
    static final int FRAME = 96;

    final LoadedObject xdp = TestPrograms.load("xdp_packet");
    final LoadedObject tc = TestPrograms.load("tc_packet");

    /** What the destination should hold after a load of len bytes from off: the frame's bytes, then 0xaa. */
    static byte[] loaded(byte[] frame, int off, int len) {
        byte[] b = new byte[64];
        Arrays.fill(b, (byte) 0xaa);
        System.arraycopy(frame, off, b, 0, len);
        return b;
    }

    static byte[] untouched() {
        byte[] b = new byte[64];
        Arrays.fill(b, (byte) 0xaa);
        return b;
    }

    static byte[] cleared(int len) {
        byte[] b = untouched();
        Arrays.fill(b, 0, len, (byte) 0);
        return b;
    }

    static byte[] destination(PacketRunner r) {
        return Arrays.copyOfRange(r.frame(), 16, 80);
    }

    @ParameterizedTest(name = "xdp_load_bytes(off {0}, len {1})")
    @CsvSource({"0, 16", "90, 6", "95, 1", "20, 64"})
    void xdpLoadBytesCopiesFromTheFrame(int off, int len) {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_load");
        byte[] frame = params(FRAME, off, len);
        assertEquals(XdpAction.TX, run(r, frame));
        assertEquals(0, u32(r.frame(), 8));
        assertArrayEquals(loaded(frame, off, len), destination(r));
    }

    @ParameterizedTest(name = "xdp_load_bytes(off {0}, len {1}): {2}")
    @CsvSource({
        "90, 7, -22",           // one byte beyond the frame
        "96, 1, -22",
        "65535, 1, -22",        // the largest offset that is not a fault, but beyond the frame
        "65536, 4, -14",        // offsets above 0xffff
        "-1, 1, -14",
    })
    void xdpLoadBytesOutOfBoundsFailsAndLeavesTheDestinationAlone(int off, int len, int expected) {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_load");
        assertEquals(XdpAction.TX, run(r, params(FRAME, off, len)));
        assertEquals(expected, u32(r.frame(), 8));
        assertArrayEquals(untouched(), destination(r));
    }

    @ParameterizedTest(name = "xdp_store_bytes(off {0}, len {1})")
    @CsvSource({"8, 4", "92, 4", "0, 64", "32, 64"})
    void xdpStoreBytesWritesIntoTheFrame(int off, int len) {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_store");
        byte[] frame = params(FRAME, off, len);
        assertEquals(XdpAction.TX, run(r, frame));
        byte[] expected = frame.clone();
        for (int i = 0; i < len; i++) {
            expected[off + i] = (byte) (0x40 + i);
        }
        assertArrayEquals(expected, r.frame());
    }

    @ParameterizedTest(name = "xdp_store_bytes(off {0}, len {1}): {2}")
    @CsvSource({"93, 4, -22", "33, 64, -22", "65536, 4, -14", "-4, 4, -14"})
    void xdpStoreBytesOutOfBoundsFailsAndWritesNothing(int off, int len, int expected) {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_store");
        byte[] frame = params(FRAME, off, len);
        run(r, frame);
        assertEquals(expected, ret(r));
        assertArrayEquals(frame, r.frame());
    }

    @ParameterizedTest(name = "skb_load_bytes(off {0}, len {1})")
    @CsvSource({"0, 16", "90, 6", "95, 1", "32, 64"})
    void skbLoadBytesCopiesFromTheFrame(int off, int len) {
        PacketRunner r = TestPrograms.runner(tc, "skb_load");
        byte[] frame = params(FRAME, off, len);
        assertEquals(TcAction.OK, run(r, frame));
        assertEquals(0, u32(r.frame(), 8));
        assertArrayEquals(loaded(frame, off, len), destination(r));
    }

    @ParameterizedTest(name = "skb_load_bytes(off {0}, len {1})")
    @CsvSource({"90, 7", "96, 1", "95, 64", "-2147483648, 4", "-1, 4"})
    void skbLoadBytesOutOfBoundsFailsWithEfaultAndClearsTheDestination(int off, int len) {
        PacketRunner r = TestPrograms.runner(tc, "skb_load");
        assertEquals(TcAction.OK, run(r, params(FRAME, off, len)));
        assertEquals(EFAULT, u32(r.frame(), 8));
        assertArrayEquals(cleared(len), destination(r), "the first len bytes are cleared, the rest untouched");
    }

    @ParameterizedTest(name = "skb_store_bytes(off {0}, len {1}, flags {2})")
    @CsvSource({"8, 4, 0", "92, 4, 0", "8, 4, 1", "8, 4, 2", "8, 4, 3", "32, 64, 0"})
    void skbStoreBytesWritesIntoTheFrame(int off, int len, int flags) {
        PacketRunner r = TestPrograms.runner(tc, "skb_store");
        byte[] frame = params(FRAME, off, len, flags);
        run(r, frame);
        assertEquals(0, ret(r));
        byte[] expected = frame.clone();
        for (int i = 0; i < len; i++) {
            expected[off + i] = (byte) (0x40 + i);
        }
        assertArrayEquals(expected, r.frame());
    }

    @ParameterizedTest(name = "skb_store_bytes(off {0}, len {1}, flags {2}): {3}")
    @CsvSource({
        "93, 4, 0, -14",
        "33, 64, 0, -14",
        "-2147483648, 4, 0, -14",   // above INT_MAX
        "8, 4, 4, -22",             // flags beyond RECOMPUTE_CSUM and INVALIDATE_HASH
        "93, 4, 4, -22",            // flags are checked first
    })
    void skbStoreBytesRefusesBadFlagsAndRangesBeyondTheFrame(int off, int len, int flags, int expected) {
        PacketRunner r = TestPrograms.runner(tc, "skb_store");
        byte[] frame = params(FRAME, off, len, flags);
        run(r, frame);
        assertEquals(expected, ret(r));
        assertArrayEquals(frame, r.frame());
    }

    @Test
    void xdpLoadBytesReachesTheLastByteOfAnOddLengthFrame() {
        PacketRunner r = TestPrograms.runner(xdp, "xdp_load");
        byte[] frame = params(FRAME + 3, FRAME - 5, 8);
        run(r, frame);
        assertEquals(0, u32(r.frame(), 8));
        assertArrayEquals(loaded(frame, FRAME - 5, 8), destination(r));
    }
}
