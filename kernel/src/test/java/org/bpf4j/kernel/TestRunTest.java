package org.bpf4j.kernel;

import static org.bpf4j.kernel.KernelSupport.frame;
import static org.bpf4j.kernel.KernelSupport.u32;
import static org.bpf4j.kernel.KernelSupport.u64;
import static org.bpf4j.kernel.KernelSupport.withDestinationPort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.TestRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BPF_PROG_TEST_RUN of the examples: XDP and TC, with data, context and repeat. */
class TestRunTest {
    static final int XDP_ABORTED = 0, XDP_DROP = 1, XDP_PASS = 2;
    static final int TC_ACT_OK = 0, TC_ACT_SHOT = 2;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeKernel();
    }

    @Test
    void portfilterDropsTcpToPort80AndPassesTheRest() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("portfilter"))) {
            KernelProgram p = k.programs().getFirst();
            byte[] http = frame("tcp-http");
            TestRun.Result drop = p.testRun(http, 1);
            assertEquals(XDP_DROP, drop.retval());
            assertArrayEquals(http, drop.dataOut());
            assertEquals(XDP_PASS, p.testRun(frame("tcp-https"), 1).retval());
            assertEquals(XDP_PASS, p.testRun(frame("udp-dns"), 1).retval());
            assertEquals(XDP_PASS, p.testRun(frame("arp-request"), 1).retval());
            assertEquals(XDP_PASS, p.testRun(frame("tcp-http-truncated"), 1).retval());
            TestRun.Result many = p.testRun(http, 1000);
            assertEquals(XDP_DROP, many.retval());
            assertTrue(many.durationNanos() >= 0 && many.durationNanos() < 1_000_000, "duration " + many.durationNanos());
        }
    }

    @Test
    void tooShortAFrameIsRefusedWithEinval() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("dropworld"))) {
            var e = assertThrows(BpfSyscallException.class, () -> k.programs().getFirst().testRun(new byte[4], 1));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().startsWith("BPF_PROG_TEST_RUN (program 'dropworld', id "), e.getMessage());
        }
    }

    @Test
    void protocountCountsInItsPerCpuMap() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("protocount"))) {
            KernelProgram p = k.programs().getFirst();
            assertEquals(XDP_PASS, p.testRun(frame("tcp-http"), 7).retval());
            assertEquals(XDP_PASS, p.testRun(frame("udp-dns"), 2).retval());
            assertEquals(XDP_PASS, p.testRun(frame("arp-request"), 1).retval());
            KernelMap counts = k.map("protocount_map").orElseThrow();
            assertEquals(7, sum(counts.lookupPerCpu(u32(6)).orElseThrow()));
            assertEquals(2, sum(counts.lookupPerCpu(u32(17)).orElseThrow()));
            assertEquals(1, sum(counts.lookupPerCpu(u32(0)).orElseThrow()));
            assertEquals(0, sum(counts.lookupPerCpu(u32(1)).orElseThrow()));
        }
    }

    private static long sum(List<byte[]> perCpu) {
        return perCpu.stream().mapToLong(b -> u64(b, 0)).sum();
    }

    @Test
    void globalsCountInBssAndReadTheFrozenLimit() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("globals"))) {
            KernelProgram p = k.programs().getFirst();
            byte[] small = frame("tcp-http");
            assertEquals(XDP_PASS, p.testRun(small, 3).retval());
            byte[] big = Arrays.copyOf(small, 1200);
            assertEquals(XDP_DROP, p.testRun(big, 1).retval());
            byte[] bss = k.map(".bss").orElseThrow().lookup(u32(0)).orElseThrow();
            // frames, bytes and largest (zero-initialised, so in .bss too), in the order clang laid them out
            assertEquals(java.util.Set.of(4L, 3L * small.length + 1200, 1200L),
                    java.util.Set.of(u64(bss, 0), u64(bss, 8), u64(bss, 16)));
        }
    }

    @Test
    void tailcallDispatchesThroughItsProgramArray() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("tailcall"))) {
            KernelProgram dispatch = k.program("dispatch").orElseThrow();
            assertEquals(XDP_PASS, dispatch.testRun(frame("tcp-http"), 1).retval());
            assertEquals(XDP_DROP, dispatch.testRun(frame("icmp-echo"), 1).retval());
            assertEquals(XDP_PASS, dispatch.testRun(frame("arp-request"), 1).retval());
            KernelMap stats = k.map("tailcall_stats").orElseThrow();
            assertEquals(2, u64(stats.lookup(u32(0)).orElseThrow(), 0));
        }
    }

    @Test
    void tcmarkerShootsTelnetAndMarksSshInTheSkb() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("tcmarker"))) {
            KernelProgram p = k.programs().getFirst();
            byte[] http = frame("tcp-http");
            assertEquals(TC_ACT_SHOT, p.testRun(withDestinationPort(http, 23), 1).retval());
            TestRun.Result ssh = p.testRun(withDestinationPort(http, 22), new byte[192], 1);
            assertEquals(TC_ACT_OK, ssh.retval());
            assertNotNull(ssh.ctxOut());
            assertEquals(0x22, ssh.ctxOut()[8] & 0xff);   // __sk_buff.mark
            assertEquals(6, ssh.ctxOut()[32] & 0xff);     // __sk_buff.priority
            TestRun.Result dns = p.testRun(frame("udp-dns"), new byte[192], 1);
            assertEquals(0x53, dns.ctxOut()[8] & 0xff);
            TestRun.Result plain = p.testRun(http, new byte[192], 1);
            assertEquals(TC_ACT_OK, plain.retval());
            assertEquals(0, plain.ctxOut()[8]);
            // a mark given in the context reaches the program
            byte[] ctx = new byte[192];
            ctx[8] = 0x11;
            assertEquals(0x11, p.testRun(http, ctx, 1).ctxOut()[8]);
        }
    }
}
