package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.Inet.TCP;
import static org.bpf4j.runtime.helpers.Inet.UDP;
import static org.bpf4j.runtime.helpers.Inet.addr;
import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.ret;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.bpf4j.runtime.helpers.TestPrograms.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import org.bpf4j.runtime.hooks.TcAction;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bpf_csum_diff, bpf_l3_csum_replace and bpf_l4_csum_replace: against a Java reference, against the kernel's own
 * results (recorded here), and by what they are for: a NAT that rewrites addresses and ports leaves checksums a
 * full recomputation agrees with.
 */
class ChecksumHelpersTest {
    final LoadedObject xdp = TestPrograms.load("xdp_packet");
    final LoadedObject tc = TestPrograms.load("tc_packet");

    // ---- bpf_csum_diff

    /** The csum_diff program's frame: sizes, seed, 64 bytes of from, 64 bytes of to. */
    static byte[] diffFrame(byte[] from, byte[] to, int seed) {
        ByteBuffer b = ByteBuffer.allocate(8 + 128).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(from.length | to.length << 16).putInt(seed);
        b.put(from).position(8 + 64).put(to);
        return b.array();
    }

    int csumDiff(byte[] from, byte[] to, int seed) {
        PacketRunner r = TestPrograms.runner(xdp, "csum_diff");
        run(r, diffFrame(from, to, seed));
        return ret(r);
    }

    /*
     * A reference written from the definitions rather than from the kernel's code: ones' complement sums are
     * residues modulo 2^32 - 1 (or 2^16 - 1) whose zero is written 0 only when every addend was 0 (end-around
     * carry addition never reaches 0 otherwise), else all ones.
     */
    static long canonical(long residue, boolean allZero, long modulus) {
        return allZero ? 0 : residue == 0 ? modulus : residue;
    }

    /** csum_partial: the seed plus the buffer's little-endian 32-bit words (zero-padded). */
    static long partial(byte[] b, long seed) {
        long total = seed;
        boolean zero = seed == 0;
        for (int i = 0; i < b.length; i += 4) {
            long w = 0;
            for (int j = 0; j < 4 && i + j < b.length; j++) {
                w |= (b[i + j] & 0xffL) << (8 * j);
            }
            total += w;
            zero &= w == 0;
        }
        return canonical(total % 0xffff_ffffL, zero, 0xffff_ffffL);
    }

    static long add(long a, long b) {
        return canonical((a + b) % 0xffff_ffffL, a == 0 && b == 0, 0xffff_ffffL);
    }

    static long not(long a) {
        return ~a & 0xffff_ffffL;
    }

    /** What bpf_csum_diff returns since Linux 6.12: the 32-bit difference, folded to 16 bits. */
    static int referenceDiff(byte[] from, byte[] to, int seed) {
        long s = seed & 0xffff_ffffL, ret = s;
        if (from.length > 0 && to.length > 0) {
            ret = add(partial(to, s), not(partial(from, 0)));
        } else if (to.length > 0) {
            ret = partial(to, s);
        } else if (from.length > 0) {
            ret = not(partial(from, not(s)));
        }
        return (int) canonical(ret % 0xffff, ret == 0, 0xffff);
    }

    @Test
    void csumDiffAgreesWithAReferenceForAnySizes() {
        Random rnd = new Random(0xc5d1ff);
        for (int i = 0; i < 400; i++) {
            byte[] from = new byte[rnd.nextInt(65)], to = new byte[rnd.nextInt(65)];
            rnd.nextBytes(from);
            rnd.nextBytes(to);
            if (i % 7 == 0) {
                java.util.Arrays.fill(from, (byte) 0xff); // all-ones data: the two zeros of ones' complement
            }
            int seed = i % 5 == 0 ? 0 : i % 5 == 1 ? -1 : rnd.nextInt();
            assertEquals(referenceDiff(from, to, seed), csumDiff(from, to, seed),
                    () -> "from " + HexFormat.of().formatHex(from) + " to " + HexFormat.of().formatHex(to) + " seed "
                            + Integer.toHexString(seed));
        }
    }

    static final byte[] R1 = HexFormat.of().parseHex("a54dca182530bb1d6d132cded6237b2ed91e3f721fcb1971174494d6493c9d5c"
            + "3460be31201e69fedaa0eee8b9997f5c7c2999fdafe593253cd654af4dfad714");
    static final byte[] R2 = HexFormat.of().parseHex("27a0aeb3fee9232f8af2211f9ee491c5b10becb5563bfc1e6f93427ecbc8fe29"
            + "55e5cd8e46dc8ed4b7c2764d2a5a4d767706f85d8690024ad6bda3401be9c8cb");
    static final byte[] IP_HEADER = HexFormat.of().parseHex("450000547a1c400040010000c0a80001c0a800c7");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /**
     * The kernel's results, obtained on Linux 6.18 (x86_64) by running xdp_packet.o's csum_diff program on the
     * same frames with {@code bpftool prog run pinned /sys/fs/bpf/... data_in frame.bin repeat 1} and taking the
     * "Return value". KernelAgreementTest repeats this when the kernel is at hand.
     */
    @ParameterizedTest(name = "[{index}] kernel said 0x{3}")
    @CsvSource({
        "0a000001, c0a80101, 0, a8b7",                  // an IPv4 address rewritten
        "'', IP, 0, 8bc1",                              // pushing an IPv4 header: its sum
        "0102030405060708, '', 0x1234, fe23",           // pulling 8 bytes from a checksum
        "R1, R2, 0xffffffff, d288",
        "0102, 03040506, 0, 0807",                      // sizes not multiples of 4: accepted since 6.12
        "'', '', 0xdeadbeef, 9d9d",                     // nothing: the seed, folded
        "'', ffffffffffffffffffffffff, 0, ffff",
        "00000000, 00000000, 0, ffff",                  // zero minus zero: the other zero
        "ffffffffffffffffffffffffffffffff, '', 0, 0000",
        "01020304, fffefdfc01020304, 0x8000ffff, 7bfe",
        "'', R1, 0x12345678, d75a",
    })
    void csumDiffGivesWhatTheKernelGave(String from, String to, String seed, String kernel) {
        byte[] f = from.equals("R1") ? R1 : from.equals("IP") ? IP_HEADER : hex(from);
        byte[] t = to.equals("R2") ? R2 : to.equals("R1") ? R1 : to.equals("IP") ? IP_HEADER : hex(to);
        int s = (int) Long.decode(seed).longValue();
        assertEquals(Integer.parseInt(kernel, 16), csumDiff(f, t, s));
        assertEquals(Integer.parseInt(kernel, 16), referenceDiff(f, t, s), "the reference agrees too");
    }

    // ---- bpf_l3_csum_replace, bpf_l4_csum_replace

    /**
     * The kernel's results for tc_packet.o's csum_replace program, obtained on Linux 6.18 with bpftool prog run
     * (data_in: the frame below, data_out: the frame after, the field read back at the offset; -1: no field in
     * the 64-byte frame). Columns: helper (3: l3, 4: l4), offset, from, to, flags, the field before, the return
     * value, the field after. They cover both ones' complement zeros, odd and out-of-frame offsets (-EFAULT),
     * sizes 1 and 3 and from != 0 with size 0 (-EINVAL), BPF_F_MARK_MANGLED_0 with and without
     * BPF_F_MARK_ENFORCE, and flags only l4 takes (PSEUDO_HDR, IPV6: -EINVAL for l3).
     */
    @ParameterizedTest(name = "l{0}_csum_replace(off {1}, {2} -> {3}, flags {4}) on {5}: {6}, {7}")
    @CsvSource({
        "3, 24, 0x1234, 0x4321, 0x2, 0xabcd, 0, 0x7ae0",
        "3, 24, 0xa000001, 0xc0a80101, 0x4, 0x1c46, 0, 0x649d",
        "3, 24, 0x0, 0x1234, 0x0, 0x1c46, 0, 0x0a12",
        "3, 24, 0x1, 0x1234, 0x0, 0x1c46, -22, 0x1c46",
        "3, 25, 0x1, 0x2, 0x2, 0x1111, -14, 0x1111",
        "3, 62, 0x1, 0x2, 0x2, 0x1111, 0, 0x1110",
        "3, 64, 0x1, 0x2, 0x2, 0x1111, -14, -1",
        "3, 65536, 0x1, 0x2, 0x2, 0x1111, -14, -1",
        "3, 24, 0x1, 0x2, 0x3, 0x1111, -22, 0x1111",
        "3, 24, 0x1, 0x2, 0x1, 0x1111, -22, 0x1111",
        "3, 24, 0x1234, 0x1234, 0x2, 0xffff, 0, 0x0000",
        "3, 24, 0x1234, 0x1234, 0x2, 0x0000, 0, 0x0000",
        "3, 24, 0x0, 0xffff, 0x2, 0xffff, 0, 0x0000",
        "3, 24, 0xffff, 0x0, 0x2, 0x0000, 0, 0x0000",
        "3, 24, 0x1234, 0x1234, 0x4, 0x0000, 0, 0x0000",
        "3, 24, 0x12345678, 0x12345678, 0x4, 0xffff, 0, 0x0000",
        "3, 24, 0x0, 0x0, 0x0, 0x0000, 0, 0x0000",
        "3, 24, 0x0, 0xffffffff, 0x0, 0x0000, 0, 0x0000",
        "3, 24, 0x0, 0x0, 0x0, 0xffff, 0, 0x0000",
        "3, 24, 0x1, 0x2, 0x2, 0xfffe, 0, 0xfffd",
        "3, 24, 0x1234, 0x4321, 0x22, 0x0000, -22, 0x0000",
        "3, 24, 0x1234, 0x4321, 0x62, 0x0000, -22, 0x0000",
        "3, 24, 0x1234, 0x1235, 0x22, 0x0001, -22, 0x0001",
        "3, 24, 0x1234, 0x4321, 0x82, 0xabcd, -22, 0xabcd",
        "3, 24, 0x1234, 0x4321, 0x12, 0xabcd, -22, 0xabcd",
        "3, 24, 0x1234, 0x1234, 0x2, 0x0000, 0, 0x0000",
        "4, 24, 0x1234, 0x4321, 0x2, 0xabcd, 0, 0x7ae0",
        "4, 24, 0xa000001, 0xc0a80101, 0x4, 0x1c46, 0, 0x649d",
        "4, 24, 0x0, 0x1234, 0x0, 0x1c46, 0, 0x0a12",
        "4, 24, 0x1, 0x1234, 0x0, 0x1c46, -22, 0x1c46",
        "4, 25, 0x1, 0x2, 0x2, 0x1111, -14, 0x1111",
        "4, 62, 0x1, 0x2, 0x2, 0x1111, 0, 0x1110",
        "4, 64, 0x1, 0x2, 0x2, 0x1111, -14, -1",
        "4, 65536, 0x1, 0x2, 0x2, 0x1111, -14, -1",
        "4, 24, 0x1, 0x2, 0x3, 0x1111, -22, 0x1111",
        "4, 24, 0x1, 0x2, 0x1, 0x1111, -22, 0x1111",
        "4, 24, 0x1234, 0x1234, 0x2, 0xffff, 0, 0x0000",
        "4, 24, 0x1234, 0x1234, 0x2, 0x0000, 0, 0x0000",
        "4, 24, 0x0, 0xffff, 0x2, 0xffff, 0, 0x0000",
        "4, 24, 0xffff, 0x0, 0x2, 0x0000, 0, 0x0000",
        "4, 24, 0x1234, 0x1234, 0x4, 0x0000, 0, 0x0000",
        "4, 24, 0x12345678, 0x12345678, 0x4, 0xffff, 0, 0x0000",
        "4, 24, 0x0, 0x0, 0x0, 0x0000, 0, 0x0000",
        "4, 24, 0x0, 0xffffffff, 0x0, 0x0000, 0, 0x0000",
        "4, 24, 0x0, 0x0, 0x0, 0xffff, 0, 0x0000",
        "4, 24, 0x1, 0x2, 0x2, 0xfffe, 0, 0xfffd",
        "4, 24, 0x1234, 0x4321, 0x22, 0x0000, 0, 0x0000",
        "4, 24, 0x1234, 0x4321, 0x62, 0x0000, 0, 0xcf12",
        "4, 24, 0x1234, 0x1235, 0x22, 0x0001, 0, 0xffff",
        "4, 24, 0x1234, 0x4321, 0x82, 0xabcd, 0, 0x7ae0",
        "4, 24, 0x1234, 0x4321, 0x12, 0xabcd, 0, 0x7ae0",
        "4, 24, 0x1234, 0x1234, 0x2, 0x0000, 0, 0x0000",
    })
    void csumReplaceGivesWhatTheKernelGave(int which, long off, long from, long to, long flags, int before, int ret,
            int after) {
        byte[] frame = params(64, which, (int) off, (int) from, (int) to, (int) flags);
        if (off + 2 <= 64) {
            frame[(int) off] = (byte) before;
            frame[(int) off + 1] = (byte) (before >> 8);
        }
        PacketRunner r = TestPrograms.runner(tc, "csum_replace");
        run(r, frame);
        assertEquals(ret, ret(r), "return value");
        if (after >= 0) {
            assertEquals(after, u16(r.frame(), (int) off), "the field afterwards");
        }
    }

    // ---- a NAT

    static byte[] payload(Random rnd) {
        byte[] p = new byte[rnd.nextInt(40)];
        rnd.nextBytes(p);
        return p;
    }

    static byte[] randomAddr(Random rnd) {
        return addr(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
    }

    @Test
    void sourceNatOfTcpAndUdpLeavesTheChecksumsAFullRecomputationGives() {
        Random rnd = new Random(0x5a7);
        PacketRunner r = TestPrograms.runner(tc, "snat");
        for (int i = 0; i < 300; i++) {
            int proto = i % 2 == 0 ? TCP : UDP;
            byte[] src = randomAddr(rnd), dst = randomAddr(rnd), nat = randomAddr(rnd), body = payload(rnd);
            int sport = rnd.nextInt(65536), dport = rnd.nextInt(65536), natPort = rnd.nextInt(65536);
            byte[] frame = Inet.frame(proto, src, dst, sport, dport, body, nat, natPort);
            byte[] expected = Inet.frame(proto, nat, dst, natPort, dport, body, nat, natPort);
            assertEquals(TcAction.OK, run(r, frame));
            byte[] out = r.frame();
            assertArrayEquals(expected, out, "NAT of frame " + i);
            assertTrue(Inet.ipChecksumValid(out) && Inet.l4ChecksumValid(out));
        }
    }

    @Test
    void destinationNatThroughOneCsumDiffKeepsChecksumsValid() {
        Random rnd = new Random(0xd1ff);
        PacketRunner r = TestPrograms.runner(tc, "dnat_by_diff");
        for (int i = 0; i < 200; i++) {
            int proto = i % 2 == 0 ? TCP : UDP;
            byte[] src = randomAddr(rnd), dst = randomAddr(rnd), nat = randomAddr(rnd), body = payload(rnd);
            int sport = rnd.nextInt(65536), dport = rnd.nextInt(65536);
            byte[] frame = Inet.frame(proto, src, dst, sport, dport, body, nat, 0);
            byte[] expected = Inet.frame(proto, src, nat, sport, dport, body, nat, 0);
            assertEquals(TcAction.OK, run(r, frame));
            assertArrayEquals(expected, r.frame(), "NAT of frame " + i);
        }
    }

    @Test
    void aUdpDatagramWithoutChecksumStaysWithoutOne() {
        byte[] frame = Inet.frame(UDP, addr(10, 0, 0, 1), addr(10, 0, 0, 2), 5353, 53, new byte[] {1, 2, 3},
                addr(192, 168, 7, 7), 40000);
        Inet.put16(frame, Inet.checksumOffset(frame), 0);
        PacketRunner r = TestPrograms.runner(tc, "snat");
        assertEquals(TcAction.OK, run(r, frame));
        byte[] out = r.frame();
        assertEquals(0, Inet.get16(out, Inet.checksumOffset(out)), "BPF_F_MARK_MANGLED_0 leaves a zero checksum alone");
        assertArrayEquals(addr(192, 168, 7, 7), java.util.Arrays.copyOfRange(out, Inet.IP + 12, Inet.IP + 16));
        assertEquals(40000, Inet.get16(out, Inet.L4));
        assertTrue(Inet.ipChecksumValid(out));
    }

    /** A UDP frame whose checksum becomes zero after the NAT: one payload word chosen to make it so. */
    static byte[] udpFrameWhoseNatChecksumIsZero() {
        byte[] src = addr(10, 1, 2, 3), dst = addr(10, 4, 5, 6), nat = addr(172, 16, 9, 9);
        byte[] body = new byte[6];
        byte[] natted = Inet.frame(UDP, nat, dst, 999, 53, body, nat, 999);
        Inet.put16(natted, Inet.checksumOffset(natted), 0);
        int s0 = Inet.l4Sum(natted);
        int word = 0xffff - s0; // the sum becomes 0xffff, the checksum ~0xffff = 0
        body[0] = (byte) (word >> 8);
        body[1] = (byte) word;
        return Inet.frame(UDP, src, dst, 4242, 53, body, nat, 999);
    }

    @Test
    void aUdpChecksumThatBecomesZeroIsWrittenAsAllOnes() {
        byte[] frame = udpFrameWhoseNatChecksumIsZero();
        assertTrue(Inet.l4ChecksumValid(frame));
        PacketRunner r = TestPrograms.runner(tc, "snat");
        assertEquals(TcAction.OK, run(r, frame));
        byte[] out = r.frame();
        assertEquals(0xffff, Inet.get16(out, Inet.checksumOffset(out)), "CSUM_MANGLED_0, not 0 (no checksum)");
        assertTrue(Inet.l4ChecksumValid(out));
    }
}
