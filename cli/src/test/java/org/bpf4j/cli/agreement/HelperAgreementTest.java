package org.bpf4j.cli.agreement;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bpf4j.core.api.MapView;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.net.gen.Frames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The helper test programs of runtime/src/test/resources/helpers (written for the helper tests; read their C
 * sources there) in both backends: each program on frames that carry its parameters (little-endian u32 words
 * from offset 0, see common.h there), with the helpers pushed to their limits (adjust_head and adjust_tail to
 * the headroom, the page and the 14-byte minimum, loads and stores across the frame's end, checksum sizes that
 * are not multiples of 4...). After every run: the return value, the packet, and every map (the programs leave
 * what they observed in their global variables).
 *
 * <p>Not compared here: {@code misc.o}'s {@code perf}, and queue pops over earlier values (both differ: see
 * {@link KnownDifferencesTest}); {@code misc.o}'s {@code environment} (clocks, random numbers and the CPU differ
 * by nature),
 * {@code fib.o} (bpf_fib_lookup asks the host's routing tables in the kernel, bpf4j's configured routes in user
 * space) and {@code fabric.o} (BPFabric only: the kernel cannot load it).
 */
class HelperAgreementTest {
    static final Path HELPERS = Agreement.ROOT.resolve("runtime/src/test/resources/helpers");

    @BeforeEach
    void kernel() {
        Agreement.assumeKernel();
    }

    static BpfObject helper(String name) throws IOException {
        Path p = HELPERS.resolve(name + ".o");
        assumeTrue(Files.isRegularFile(p), "no helper test object " + p + " (written by the helper tests)");
        return ObjectReader.read(p);
    }

    /** A frame of {@code length} bytes: the parameter words, then filler bytes (i % 251) + 1. */
    static byte[] params(int length, int... words) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i % 251 + 1);
        }
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return f;
    }

    record Run(String label, byte[] frame) {}

    static Run run(int length, int... words) {
        StringBuilder l = new StringBuilder(length + " bytes, params");
        for (int w : words) {
            l.append(' ').append(w);
        }
        return new Run(l.toString(), params(length, words));
    }

    /**
     * One program of a helper object: a fresh load into both backends, {@code setup} on each collection's maps
     * (the same updates on both sides), then every run compared, maps included.
     */
    static Stream<DynamicTest> program(String object, String program, List<Run> runs, Consumer<Agreement.Pair> setup) {
        return BackendAgreementTest.ENGINES.stream().map(engine -> DynamicTest.dynamicTest(object + ".o: " + program
                + " (" + runs.size() + " runs), " + BackendAgreementTest.engineName(engine), () -> {
            BpfObject obj = object.equals("context") ? KnownDifferencesTest.resource(object) : helper(object);
            Agreement.Report report = new Agreement.Report();
            try (Agreement.Pair pair = new Agreement.Pair(object, obj, engine)) {
                if (setup != null) {
                    setup.accept(pair);
                }
                for (Run r : runs) {
                    String label = object + "/" + program + ", " + r.label();
                    pair.run(program, label, r.frame(), report);
                    pair.compareMaps(label + ": afterwards ", report);
                }
            }
            Agreement.assertAgree(object + "/" + program + ", " + BackendAgreementTest.engineName(engine), report);
        }));
    }

    static Stream<DynamicTest> program(String object, String program, List<Run> runs) {
        return program(object, program, runs, null);
    }

    // ---- context.o (src/test/resources/agreement): what an XDP program sees of its context

    @TestFactory
    Stream<DynamicTest> xdpContext() {
        List<Run> runs = new ArrayList<>();
        for (EdgeFrames.Frame f : EdgeFrames.all()) {
            runs.add(new Run(f.label(), f.bytes()));
        }
        return program("context", "xdp_context", runs);
    }

    // ---- xdp_packet.o

    @TestFactory
    Stream<DynamicTest> xdpPacketHelpers() {
        List<Stream<DynamicTest>> tests = new ArrayList<>();
        int minInt = Integer.MIN_VALUE, maxInt = Integer.MAX_VALUE;

        List<Run> head = new ArrayList<>();
        for (int len : new int[] {64, 200, TestRunLimits.XDP_LINEAR_MAX}) {
            // the headroom is 256 bytes, of which xdp_frame keeps 40: -216 is the furthest the head moves
            for (int d : new int[] {-256, -217, -216, -215, -100, -1, 0, 1, 4, len - 15, len - 14, len - 13, len,
                    1 << 30, minInt, maxInt}) {
                head.add(run(len, d));
            }
        }
        tests.add(program("xdp_packet", "adjust_head", head));

        List<Run> tail = new ArrayList<>();
        for (int len : new int[] {64, 200, TestRunLimits.XDP_LINEAR_MAX}) {
            int room = TestRunLimits.XDP_LINEAR_MAX - len; // the tail grows up to the page less skb_shared_info
            for (int d : new int[] {-(len - 14), -(len - 13), -(len - 15), -1, 0, 1, room, room + 1, room - 1,
                    4096, minInt, maxInt}) {
                tail.add(run(len, d));
            }
        }
        tests.add(program("xdp_packet", "adjust_tail", tail));

        List<Run> meta = new ArrayList<>();
        int[][] metaCases = {
            {-4, 0}, {-8, 0}, {-32, 0}, {-252, 0}, {-256, 0}, {-3, 0}, {-6, 0}, {4, 0}, {0, 0}, {-216, 0},
            {-220, 0}, {-212, 0}, {-8, -16}, {-8, 20}, {-8, -200}, {-8, -208}, {-32, -184}, {-32, -185}, {-4, 50},
            {-4, 51}, {-40, -176}, {-40, -177}
        };
        for (int[] c : metaCases) {
            meta.add(run(64, c[0], c[1], 0xfeedbeef));
        }
        tests.add(program("xdp_packet", "adjust_meta", meta));

        List<Run> load = new ArrayList<>();
        List<Run> store = new ArrayList<>();
        int[][] ranges = {{0, 64}, {16, 64}, {64, 64}, {127, 1}, {128, 1}, {120, 16}, {-1, 4}, {0, 0}, {100, 33},
            {0, 1}, {12, 2}, {1 << 20, 8}};
        for (int[] r : ranges) {
            load.add(run(128, r[0], r[1]));
            store.add(run(128, r[0], r[1]));
        }
        int big = TestRunLimits.XDP_LINEAR_MAX;
        for (int[] r : new int[][] {{big - 20, 20}, {big - 1, 1}, {big, 1}, {big - 10, 11}}) {
            load.add(run(big, r[0], r[1]));
            store.add(run(big, r[0], r[1]));
        }
        tests.add(program("xdp_packet", "xdp_load", load));
        tests.add(program("xdp_packet", "xdp_store", store));

        List<Run> buffLen = new ArrayList<>();
        for (int len : new int[] {64, 200}) {
            for (int d : new int[] {0, 10, -10, TestRunLimits.XDP_LINEAR_MAX - len,
                    TestRunLimits.XDP_LINEAR_MAX - len + 1, -(len - 14), -(len - 13)}) {
                buffLen.add(run(len, d));
            }
        }
        tests.add(program("xdp_packet", "buff_len", buffLen));

        List<Run> csum = new ArrayList<>();
        int[][] sizes = {{0, 0}, {4, 0}, {0, 4}, {4, 4}, {64, 64}, {3, 4}, {4, 3}, {68, 0}, {60, 32}, {8, 64},
            {2, 2}, {64, 0}, {0, 64}};
        for (int[] s : sizes) {
            for (int seed : new int[] {0, 0xffff, 0xdeadbeef, 0xffffffff}) {
                csum.add(run(8 + 128 + 8, s[0] | s[1] << 16, seed));
            }
        }
        tests.add(program("xdp_packet", "csum_diff", csum));

        List<Run> redirect = new ArrayList<>();
        for (int[] c : new int[][] {{1, 0}, {1, 1}, {0, 0}, {99, 0}, {1, 8}, {1, 16}, {2, 0}}) {
            redirect.add(run(64, c[0], c[1]));
        }
        tests.add(program("xdp_packet", "xdp_redirect", redirect));

        List<Run> redirectMap = new ArrayList<>();
        int none = 0xffffffff;
        int[][] mapCases = {{0, 0, none}, {0, 1, none}, {0, 2, none}, {0, 3, none}, {0, 4, none}, {0, 8, none},
            {0, 24, none}, {0, 16, none}, {9, 2, none}, {0, 2, 1}, {7, 1, 8}, {1, 0, none}, {1, 2, 0}};
        for (int[] c : mapCases) {
            redirectMap.add(run(64, c));
        }
        tests.add(program("xdp_packet", "redirect_map", redirectMap));
        // the same with the loopback device (ifindex 1) in slot 1 of the device map, put there by the control plane
        tests.add(program("xdp_packet", "redirect_map", redirectMap.stream()
                .map(r -> new Run("lo in slot 1, " + r.label(), r.frame())).toList(), pair -> {
                    for (MapView m : List.of(pair.user.map("tx_ports").orElseThrow(),
                            pair.kernel.map("tx_ports").orElseThrow())) {
                        m.update(Agreement.le32(1), Agreement.le32(1));
                    }
                }));
        return tests.stream().flatMap(t -> t);
    }

    // ---- tc_packet.o

    @TestFactory
    Stream<DynamicTest> tcPacketHelpers() {
        List<Stream<DynamicTest>> tests = new ArrayList<>();
        List<Run> load = new ArrayList<>();
        List<Run> store = new ArrayList<>();
        int[][] ranges = {{0, 64}, {16, 64}, {64, 64}, {127, 1}, {128, 1}, {120, 16}, {-1, 4}, {0, 0}, {100, 33},
            {0, 1}, {12, 2}, {1 << 20, 8}};
        for (int[] r : ranges) {
            load.add(run(128, r[0], r[1]));
            for (int flags : new int[] {0, 1, 2, 3, 4, 16}) {
                store.add(run(128, r[0], r[1], flags));
            }
        }
        tests.add(program("tc_packet", "skb_load", load));
        tests.add(program("tc_packet", "skb_store", store));

        List<Run> csum = new ArrayList<>();
        for (int which : new int[] {3, 4}) {
            for (int off : new int[] {24, 30, 31, 126, 127, 128, -1}) {
                for (int flags : new int[] {0, 2, 4, 1, 3, 8, 16 | 4, 16 | 2, 32 | 2, 64 | 2, 32 | 4, 128 | 2}) {
                    csum.add(run(128, which, off, 0x1234abcd, 0x4321dcba, flags));
                }
            }
        }
        // a 2-byte replace whose "from" and "to" differ in their upper halves only, and a field of zeros
        csum.add(run(128, 4, 40, 0xffff0001, 0x00000001, 2));
        csum.add(run(128, 3, 40, 0, 0, 4));
        tests.add(program("tc_packet", "csum_replace", csum));

        List<Run> nat = natFrames();
        tests.add(program("tc_packet", "snat", nat));
        tests.add(program("tc_packet", "dnat_by_diff", nat));

        List<Run> redirect = new ArrayList<>();
        for (int[] c : new int[][] {{1, 0}, {1, 1}, {1, 2}, {0, 0}, {99, 0}, {1, 4}}) {
            redirect.add(run(64, c[0], c[1]));
        }
        tests.add(program("tc_packet", "tc_redirect", redirect));
        return tests.stream().flatMap(t -> t);
    }

    /** IPv4 TCP and UDP frames (checksums right, or UDP's absent) whose destination MAC is the new address and port. */
    static List<Run> natFrames() {
        byte[] newAddrPort = {(byte) 192, (byte) 168, 7, 9, 0x1f, (byte) 0x90};
        byte[] src = Frames.mac("02:00:00:00:00:01");
        List<Run> out = new ArrayList<>();
        byte[] tcp = Frames.tcp(40000, 443).flags(Frames.ACK).payload(EdgeFrames.bytes(21, 0x42)).build();
        byte[] udp = Frames.udp(40001, 53, Frames.dnsQuery(7, "example.net", 28));
        byte[][] packets = {
            Frames.ipv4(EdgeFrames.IP4_A, EdgeFrames.IP4_B, Frames.PROTO_TCP).build(tcp),
            Frames.ipv4(EdgeFrames.IP4_A, EdgeFrames.IP4_B, Frames.PROTO_UDP).build(udp),
            Frames.ipv4(EdgeFrames.IP4_A, EdgeFrames.IP4_B, Frames.PROTO_UDP).transportChecksum(false).build(udp),
            Frames.ipv4(EdgeFrames.IP4_A, EdgeFrames.IP4_B, Frames.PROTO_ICMP)
                    .build(Frames.icmpEcho(true, 1, 2, EdgeFrames.bytes(16, 7))),
            Frames.ipv4(EdgeFrames.IP4_A, EdgeFrames.IP4_B, Frames.PROTO_TCP)
                    .options(EdgeFrames.routerAlertAndNops(4)).build(tcp),
        };
        String[] names = {"tcp", "udp", "udp without checksum", "icmp", "tcp with options"};
        for (int i = 0; i < packets.length; i++) {
            out.add(new Run(names[i], Frames.ethernet(newAddrPort, src, Frames.ETHERTYPE_IPV4, packets[i])));
        }
        // a UDP checksum that the new address and port turn into 0: BPF_F_MARK_MANGLED_0 must make it 0xffff
        out.add(new Run("udp summing to zero", Frames.ethernet(zeroingMac(packets[1]), src, Frames.ETHERTYPE_IPV4,
                packets[1])));
        out.add(new Run("arp", Frames.ethernet(newAddrPort, src, Frames.ETHERTYPE_ARP, Frames.arp(Frames.ARP_REQUEST,
                src, EdgeFrames.IP4_A, new byte[6], EdgeFrames.IP4_B))));
        return out;
    }

    // A destination MAC (new source address, new port) that makes the NATed UDP checksum come out as 0: the new
    // address is the old one, and the new port is chosen so that the sum of the changed words is 0xffff - check.
    private static byte[] zeroingMac(byte[] ipUdp) {
        int check = (ipUdp[20 + 6] & 0xff) << 8 | ipUdp[20 + 7] & 0xff;
        int oldPort = (ipUdp[20] & 0xff) << 8 | ipUdp[21] & 0xff;
        // after the change the checksum is ~(~check + ~oldPort + newPort); it is 0 when the inner sum is 0xffff
        int sum = (~check & 0xffff) + (~oldPort & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        int newPort = (0xffff - sum) & 0xffff;
        return new byte[] {ipUdp[12], ipUdp[13], ipUdp[14], ipUdp[15], (byte) (newPort >> 8), (byte) newPort};
    }

    // ---- misc.o, tailcall.o, trace.o

    @TestFactory
    Stream<DynamicTest> otherHelpers() {
        List<Stream<DynamicTest>> tests = new ArrayList<>();
        List<Run> loop = new ArrayList<>();
        for (int[] c : new int[][] {{0, 0, 0}, {1, 99, 0}, {10, 99, 0}, {10, 3, 0}, {10, 0, 0}, {100000, 99999, 0},
                {1 << 23, 5, 0}, {(1 << 23) + 1, 5, 0}, {-1, 5, 0}, {10, 99, 1}}) {
            loop.add(run(64, c));
        }
        tests.add(program("misc", "loop", loop));

        List<Run> forEach = new ArrayList<>();
        // the hash map is walked whole only: the order of its keys is unspecified (the kernel seeds the hash of
        // every map at random), so where a walk that stops early stops is too
        for (int[] c : new int[][] {{0, -1, 0}, {0, 3, 0}, {0, 0, 0}, {0, 7, 0}, {1, -1, 0}, {0, -1, 1}, {1, -1, 1},
                {1, -1, 0}}) {
            forEach.add(run(64, c));
        }
        tests.add(program("misc", "for_each", forEach, pair -> {
            for (var c : List.of(pair.user, pair.kernel)) {
                MapView numbers = c.map("numbers").orElseThrow(), prices = c.map("prices").orElseThrow();
                for (int i = 0; i < 8; i++) {
                    numbers.update(Agreement.le32(i), le64(10L * i));
                }
                for (int k : new int[] {3, 5, 9, 12, 1000}) {
                    prices.update(Agreement.le32(k), le64(100L * k));
                }
            }
        }));

        tests.add(program("misc", "locked_count", List.of(run(64), run(64), run(64))));

        List<Run> qs = new ArrayList<>();
        // invalid flags first, while the results are still zero: pops and peeks of an empty map over values a
        // previous run left differ (see KnownDifferencesTest)
        for (int[] c : new int[][] {{0, 3}, {0, 0}, {1, 0}, {0, 2}, {1, 2}}) {
            qs.add(run(64, c));
        }
        tests.add(program("misc", "queue_stack", qs));

        List<Run> ring = new ArrayList<>();
        for (int[] c : new int[][] {{8, 0, 0}, {8, 1, 0}, {63, 0, 0}, {0, 0, 4080}, {0, 0, 4088}, {8, 0, 0}}) {
            ring.add(run(64, c));
        }
        tests.add(program("misc", "ring", ring));
        // perf: see KnownDifferencesTest

        List<Run> tail = new ArrayList<>();
        for (int slot : new int[] {0, 1, 2, 3, 4, -1}) {
            tail.add(run(64, slot));
        }
        tests.add(program("tailcall", "entry", tail));

        tests.add(program("trace", "trace", List.of(run(64))));
        return tests.stream().flatMap(t -> t);
    }

    /** The little-endian u32 at {@code at}. */
    static int u32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
