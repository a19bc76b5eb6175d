package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.Inet.TCP;
import static org.bpf4j.runtime.helpers.Inet.UDP;
import static org.bpf4j.runtime.helpers.Inet.addr;
import static org.bpf4j.runtime.helpers.TestPrograms.le32;
import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.hooks.PacketBuffer;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same clang objects and frames run in the kernel (BPF_PROG_TEST_RUN through bpftool) and in bpf4j, on both
 * engines: the return values and the frames afterwards (XDP: with the metadata in front, as the kernel's data_out
 * has it) must be the same, and for the stateful programs the globals they leave.
 *
 * <p>Skipped, with the reason, where the kernel cannot be asked: not root, no bpftool, no bpffs.
 */
class KernelAgreementTest {
    static final int NONE = 0xffffffff;
    static final List<Engine> ENGINES = List.of(Engine.INTERPRETER, Engine.JIT);

    static final Map<String, KernelRunner> KERNEL = new HashMap<>();

    @BeforeAll
    static void kernel() {
        String why = KernelRunner.unavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    @AfterAll
    static void unload() {
        KERNEL.values().forEach(KernelRunner::close);
        KERNEL.clear();
    }

    /** A shared kernel instance of an object, for programs that keep no state between runs. */
    static KernelRunner kernel(String object) {
        return KERNEL.computeIfAbsent(object, o -> KernelRunner.load(TestPrograms.path(o)));
    }

    record Run(int ret, byte[] out) {
        @Override
        public String toString() {
            return "ret " + ret + ", " + HexFormat.of().formatHex(out);
        }
    }

    /** Runs a program in bpf4j; the output as the kernel's data_out has it (metadata, then the frame). */
    static Run bpf4j(LoadedObject obj, String program, byte[] frame) {
        PacketRunner r = TestPrograms.runner(obj, program);
        r.run(frame, frame.length, PacketMeta.NONE);
        PacketBuffer b = r.buffer();
        byte[] meta = b.segment().asSlice(b.dataMeta(), b.data() - b.dataMeta()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] out = Arrays.copyOf(meta, meta.length + b.length());
        System.arraycopy(r.frame(), 0, out, meta.length, b.length());
        return new Run((int) r.result(), out);
    }

    final Map<String, LoadedObject> loaded = new HashMap<>();

    LoadedObject bpf4j(String object, Engine engine) {
        return loaded.computeIfAbsent(object + "/" + engine,
                k -> TestPrograms.load(object, LoadedObject.Options.defaults().withEngine(engine)));
    }

    /** Runs every frame in the kernel and in bpf4j (both engines) and compares. */
    void agree(String object, String program, List<byte[]> frames) {
        agree(object, program, frames, out -> out);
    }

    /** The same, comparing the outputs as {@code normal} leaves them. */
    void agree(String object, String program, List<byte[]> frames, UnaryOperator<byte[]> normal) {
        KernelRunner k = kernel(object);
        List<String> mismatches = new ArrayList<>();
        for (byte[] frame : frames) {
            KernelRunner.Result kr = k.run(program, frame);
            Run expected = new Run(kr.ret(), normal.apply(kr.out()));
            for (Engine e : ENGINES) {
                Run raw = bpf4j(bpf4j(object, e), program, frame);
                Run got = new Run(raw.ret(), normal.apply(raw.out()));
                if (got.ret() != expected.ret() || !Arrays.equals(got.out(), expected.out())) {
                    mismatches.add(program + " on " + HexFormat.of().formatHex(frame) + " (" + e + "):\n  kernel "
                            + expected + "\n  bpf4j  " + got);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    void agree(String object, String program, byte[]... frames) {
        agree(object, program, List.of(frames));
    }

    // ---- the packet-moving helpers

    @Test
    void adjustHeadByMinus16AndPlus14() {
        agree("xdp_packet", "adjust_head", params(64, -16), params(64, 14));
    }

    @Test
    void adjustTailByMinus10AndPlus20() {
        agree("xdp_packet", "adjust_tail", params(64, -10), params(64, 20));
    }

    @Test
    void adjustHeadAndTailAtAndBeyondTheirLimits() {
        agree("xdp_packet", "adjust_head", params(64, -216), params(64, -217), params(64, 50), params(64, 51),
                params(64, 0), params(14, 0), params(3520, -216));
        agree("xdp_packet", "adjust_tail", params(64, 3456), params(64, 3457), params(64, -50), params(64, -51),
                params(3520, 0), params(3520, 1));
        agree("xdp_packet", "buff_len", params(64, 20), params(64, -50), params(64, 3456));
    }

    @Test
    void adjustMetaAndMetadataMovingWithTheHead() {
        agree("xdp_packet", "adjust_meta", params(64, -4, 0, 0xfeedbeef), params(64, -32, 0, 1),
                params(64, -36, 0, 1), params(64, -216, 0, 1), params(64, -220, 0, 1), params(64, -6, 0, 1),
                params(64, 4, 0, 1), params(64, -8, -16, 0xabcd), params(64, -8, 20, 0xabcd),
                params(64, -8, -209, 1), params(64, -8, -208, 1), params(64, 0, -200, 0));
    }

    @Test
    void xdpLoadAndStoreBytesInAndOutOfBounds() {
        agree("xdp_packet", "xdp_load", params(96, 0, 16), params(96, 90, 6), params(96, 90, 7),
                params(96, 0x10000, 4), params(96, 96, 1), params(96, -1, 1), params(96, 20, 64), params(96, 65535, 1));
        agree("xdp_packet", "xdp_store", params(96, 8, 4), params(96, 92, 4), params(96, 93, 4),
                params(96, 0x10000, 4), params(96, 32, 64), params(96, 33, 64), params(96, -4, 4));
    }

    @Test
    void skbLoadAndStoreBytesInAndOutOfBounds() {
        agree("tc_packet", "skb_load", params(96, 0, 16), params(96, 90, 6), params(96, 90, 7),
                params(96, 0x80000000, 4), params(96, 96, 1), params(96, -1, 4), params(96, 32, 64));
        agree("tc_packet", "skb_store", params(96, 8, 4, 0), params(96, 92, 4, 0), params(96, 93, 4, 0),
                params(96, 0x80000000, 4, 0), params(96, 8, 4, 4), params(96, 8, 4, 3), params(96, 33, 64, 0));
    }

    // ---- checksums

    @Test
    void aChecksumReplacingNatOfTcpAndUdp() {
        Random rnd = new Random(0x4a7);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] body = new byte[rnd.nextInt(30)];
            rnd.nextBytes(body);
            frames.add(Inet.frame(i % 2 == 0 ? TCP : UDP, addr(10, 0, 0, rnd.nextInt(256)), addr(10, 9, 9, 9),
                    rnd.nextInt(65536), 80, body, addr(192, 168, rnd.nextInt(256), rnd.nextInt(256)), rnd.nextInt(65536)));
        }
        byte[] noChecksum = Inet.frame(UDP, addr(10, 0, 0, 1), addr(10, 0, 0, 2), 5353, 53, new byte[] {1, 2, 3},
                addr(192, 168, 7, 7), 40000);
        Inet.put16(noChecksum, Inet.checksumOffset(noChecksum), 0);
        frames.add(noChecksum);
        frames.add(ChecksumHelpersTest.udpFrameWhoseNatChecksumIsZero());
        agree("tc_packet", "snat", frames);
        agree("tc_packet", "dnat_by_diff", frames);
    }

    @Test
    void csumDiffOfFixedAndRandomInputs() {
        List<byte[]> frames = new ArrayList<>();
        Random rnd = new Random(0xd1ff);
        for (int i = 0; i < 40; i++) {
            byte[] from = new byte[rnd.nextInt(65)], to = new byte[rnd.nextInt(65)];
            rnd.nextBytes(from);
            rnd.nextBytes(to);
            if (i % 5 == 0) {
                Arrays.fill(to, (byte) 0xff);
            }
            frames.add(ChecksumHelpersTest.diffFrame(from, to, i % 3 == 0 ? 0 : rnd.nextInt()));
        }
        frames.add(ChecksumHelpersTest.diffFrame(new byte[0], new byte[0], 0));
        frames.add(ChecksumHelpersTest.diffFrame(new byte[16], new byte[0], -1));
        agree("xdp_packet", "csum_diff", frames);
    }

    @Test
    void l3AndL4CsumReplaceOnRandomFieldsAndFlags() {
        Random rnd = new Random(0x13);
        int[] flags = {0, 2, 4, 1, 3, 0x10 | 4, 0x20 | 2, 0x60 | 2, 0x80 | 4, 0x20, 0x100};
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int which = 3 + i % 2;
            int off = rnd.nextInt(8) == 0 ? 25 + 2 * rnd.nextInt(20) : 24 + 2 * rnd.nextInt(20);
            int f = flags[rnd.nextInt(flags.length)];
            int from = f == 0 || f == 0x20 ? (rnd.nextBoolean() ? 0 : 1) : rnd.nextInt();
            byte[] frame = params(64, which, off, from, rnd.nextInt(), f);
            if (off + 2 <= 64 && rnd.nextInt(4) == 0) {
                frame[off] = frame[off + 1] = (byte) (rnd.nextBoolean() ? 0 : 0xff);
            }
            frames.add(frame);
        }
        agree("tc_packet", "csum_replace", frames);
    }

    // ---- redirects

    @Test
    void redirectInXdpAndTc() {
        agree("xdp_packet", "xdp_redirect", params(64, 42, 0), params(64, 42, 1), params(64, 0, 8));
        agree("tc_packet", "tc_redirect", params(64, 5, 0), params(64, 5, 1), params(64, 5, 2), params(64, 5, 16));
    }

    @Test
    void redirectMapHitsMissesAndFlags() {
        // the kernel checks that a devmap's ifindex exists: 1 is the loopback device
        kernel("xdp_packet").update("tx_ports", le32(1), le32(1));
        for (Engine e : ENGINES) {
            bpf4j("xdp_packet", e).map("tx_ports").orElseThrow().update(le32(1), le32(1));
        }
        agree("xdp_packet", "redirect_map", params(64, 1, 0, NONE), params(64, 2, 2, NONE), params(64, 2, 0, NONE),
                params(64, 2, 3, NONE), params(64, 100, 1, NONE), params(64, 1, 4, NONE), params(64, 1, 2, 5),
                params(64, 5, 2, 1), params(64, 2, 8, NONE), params(64, 2, 16 | 1, NONE), params(64, 1, 0x18, NONE),
                params(64, 1, 0x20, NONE));
    }

    // ---- the contexts

    static byte[] ethernet(String dst, int type, int length) {
        byte[] f = new byte[length];
        byte[] mac = HexFormat.ofDelimiter(":").parseHex(dst);
        System.arraycopy(mac, 0, f, 0, 6);
        f[11] = 1;
        f[12] = (byte) (type >> 8);
        f[13] = (byte) type;
        return f;
    }

    @Test
    void xdpMdAndSkBuffAsProgramsSeeThem() {
        // the test run's device is the loopback, whose address and broadcast address are 00:00:00:00:00:00:
        // those frames are PACKET_HOST there as here, multicast ones PACKET_MULTICAST
        List<byte[]> frames = List.of(ethernet("00:00:00:00:00:00", 0x0800, 128),
                ethernet("01:00:5e:00:00:01", 0x0800, 128), ethernet("33:33:00:00:00:01", 0x86dd, 128),
                ethernet("00:00:00:00:00:00", 0x8100, 128), ethernet("00:00:00:00:00:00", 0x0040, 128),
                ethernet("00:00:00:00:00:00", 0x05dc, 200));
        byte[] ipx = ethernet("00:00:00:00:00:00", 0x0040, 128);
        ipx[14] = ipx[15] = (byte) 0xff;
        List<byte[]> all = new ArrayList<>(frames);
        all.add(ipx);
        agree("context", "xdp_context", all);
        // the test run sets neither ingress_ifindex (skb_iif) nor wire_len; bpf4j gives them as at an ingress
        agree("context", "tc_context", all, out -> {
            byte[] o = out.clone();
            Arrays.fill(o, 4 * 9, 4 * 10, (byte) 0);
            Arrays.fill(o, 4 * 16, 4 * 17, (byte) 0);
            return o;
        });
    }

    // ---- stateful programs: a fresh instance in both, the same runs, the same globals afterwards

    /** Runs frames in a fresh kernel instance and fresh bpf4j objects, then compares returns and a global. */
    void agreeOnGlobal(String object, String program, String global, Consumer<LoadedObject> setup, byte[]... frames) {
        TestPrograms.Globals g = new TestPrograms.Globals(object);
        try (KernelRunner k = KernelRunner.load(TestPrograms.path(object))) {
            List<Integer> kernelRets = new ArrayList<>();
            for (byte[] f : frames) {
                kernelRets.add(k.run(program, f).ret());
            }
            TestPrograms.Globals.Variable v = g.variable(global);
            byte[] section = k.lookup(v.section().equals(".bss") ? "_bss" : "_data", new byte[4]);
            byte[] kernelValue = Arrays.copyOfRange(section, v.offset(), v.offset() + v.size());
            for (Engine e : ENGINES) {
                LoadedObject obj = TestPrograms.load(object, LoadedObject.Options.defaults().withEngine(e));
                setup.accept(obj);
                List<Integer> rets = new ArrayList<>();
                for (byte[] f : frames) {
                    rets.add(bpf4j(obj, program, f).ret());
                }
                assertEquals(kernelRets, rets, program + " returns on " + e);
                assertArrayEquals(kernelValue, g.bytes(obj, global), global + " on " + e);
            }
        }
    }

    @Test
    void bpfLoopCountsAndStops() {
        agreeOnGlobal("misc", "loop", "loop_seen", o -> {}, params(64, 10, 3, 0));
        agreeOnGlobal("misc", "loop", "loop_seen", o -> {}, params(64, 10, NONE, 0));
        agreeOnGlobal("misc", "loop", "loop_seen", o -> {}, params(64, 1 << 23, NONE, 0));
        agreeOnGlobal("misc", "loop", "loop_seen", o -> {}, params(64, (1 << 23) + 1, NONE, 0),
                params(64, 5, 0, 1), params(64, 0, 0, 0));
    }

    @Test
    void tailCallChainsAndTheLimit() {
        agreeOnGlobal("tailcall", "entry", "visits", o -> {}, params(64, 1), params(64, 3), params(64, 7));
        agreeOnGlobal("tailcall", "chain", "depth", o -> {}, params(64), params(64));
        agreeOnGlobal("tailcall", "chain", "fell_through", o -> {}, params(64));
        agreeOnGlobal("tailcall", "entry", "depth", o -> {}, params(64, 0));
    }

    @Test
    void queuesAndStacks() {
        for (int map = 0; map < 2; map++) {
            for (int flags : new int[] {0, 2}) {
                agreeOnGlobal("misc", "queue_stack", "qs", o -> {}, params(64, map, flags));
            }
        }
    }

    @Test
    void ringBufferReserveSubmitDiscardOutputAndQuery() {
        agreeOnGlobal("misc", "ring", "rb", o -> {}, params(64, 10, 0, 0), params(64, 11, 1, 0));
        agreeOnGlobal("misc", "ring", "rb", o -> {}, params(64, 10, 0, 4080));
    }

    @Test
    void forEachOverAnArrayWithAndWithoutStopping() {
        agreeOnGlobal("misc", "for_each", "sum_seen", o -> {}, params(64, 0, NONE, 0));
        agreeOnGlobal("misc", "for_each", "sum_seen", o -> {}, params(64, 0, 2, 0));
        agreeOnGlobal("misc", "for_each", "for_each_ret", o -> {}, params(64, 0, 5, 0), params(64, 1, NONE, 0),
                params(64, 0, NONE, 1));
    }
}
